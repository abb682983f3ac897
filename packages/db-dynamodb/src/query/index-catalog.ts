import {
  DescribeTableCommand,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { SharedWork } from '@gofannon/db-core/adapter';
import { isMissingTable } from '../dynamodb-errors';
import { type GlobalIndex, indexOfName } from './index-definitions';

interface Known {
  /** When the DescribeTable request that told these indexes was sent. */
  askedAt: number;
  indexes: readonly GlobalIndex[];
}

/**
 * Which of our indexes each table has, as writers need to know: every save writes the key
 * attributes of every index on its table, including indexes that another process made.
 * What a writer knows is never older than `refreshMs` (one DescribeTable per table and
 * interval, shared by the writes waiting for it), and `ensureIndex` waits that long after
 * making an index before it backfills: every write from then on carries the index's keys,
 * and the backfill covers every item written before.
 */
export class IndexCatalog {
  readonly #client: DynamoDBClient;
  readonly #refreshMs: number;
  readonly #known = new Map<string, Known>();
  readonly #asking = new SharedWork<string>();

  constructor(client: DynamoDBClient, refreshMs: number) {
    this.#client = client;
    this.#refreshMs = refreshMs;
  }

  /** How stale a writer's knowledge of a table's indexes can be. */
  get refreshMs(): number {
    return this.#refreshMs;
  }

  /** The indexes on `table`, as told at most `refreshMs` ago. */
  async indexesOf(table: string, signal: AbortSignal): Promise<readonly GlobalIndex[]> {
    const known = this.#known.get(table);
    if (known && Date.now() - known.askedAt < this.#refreshMs) return known.indexes;
    await this.#asking.run(table, signal, (shared) => this.#ask(table, shared));
    return this.#known.get(table)?.indexes ?? [];
  }

  /** Records what a DescribeTable sent at `askedAt` told, unless something newer is known. */
  learn(table: string, description: TableDescription | undefined, askedAt: number): void {
    const known = this.#known.get(table);
    if (known && known.askedAt > askedAt) return;
    this.#known.set(table, { askedAt, indexes: indexesIn(description) });
  }

  async #ask(table: string, signal: AbortSignal): Promise<void> {
    const askedAt = Date.now();
    try {
      const { Table } = await this.#client.send(new DescribeTableCommand({ TableName: table }), {
        abortSignal: signal,
      });
      this.learn(table, Table, askedAt);
    } catch (error) {
      // No table, no index: the write creates a table, and a new table has none.
      if (!isMissingTable(error)) throw error;
      this.learn(table, undefined, askedAt);
    }
  }
}

/** Our indexes among a table's global secondary indexes, in any state but DELETING. */
export function indexesIn(description: TableDescription | undefined): GlobalIndex[] {
  const indexes: GlobalIndex[] = [];
  for (const gsi of description?.GlobalSecondaryIndexes ?? []) {
    if (gsi.IndexStatus === 'DELETING' || gsi.IndexName === undefined) continue;
    const index = indexOfName(gsi.IndexName);
    if (index) indexes.push(index);
  }
  return indexes;
}
