import {
  DescribeTableCommand,
  type DynamoDBClient,
  type TableDescription,
  UpdateTableCommand,
} from '@aws-sdk/client-dynamodb';
import { OneAtATime, sleep } from '@gofannon/db-core/adapter';
import type { Item } from '../attribute-values';
import { errorName } from '../dynamodb-errors';
import type { TableCreator } from '../tables';
import { backfill } from './backfill';
import type { IndexCatalog } from './index-catalog';
import type { GlobalIndex } from './index-definitions';

/** Between looks at an index or table that is still changing. */
const POLL_MS = 100;

/**
 * Makes a global secondary index for `ensureIndex` and fills it: creates the table when
 * missing, adds the GSI unless it is there (made by another process, say), waits until
 * every writer writes its keys, backfills the items written before, and waits until
 * DynamoDB reports the index ACTIVE (a Query on an index still CREATING fails). All of it
 * within the call's signal, which is the bound: where it stops, calling again continues.
 */
export class IndexBuilder {
  readonly #client: DynamoDBClient;
  readonly #catalog: IndexCatalog;
  readonly #tables: TableCreator;
  /** Where an unfinished backfill stands, per table and index. */
  readonly #progress = new Map<string, Item | undefined>();
  readonly #oneAtATime = new OneAtATime<string>();

  constructor(client: DynamoDBClient, catalog: IndexCatalog, tables: TableCreator) {
    this.#client = client;
    this.#catalog = catalog;
    this.#tables = tables;
  }

  async build(table: string, index: GlobalIndex, signal: AbortSignal): Promise<void> {
    await this.#tables.ensure(table, signal);
    // Writers of this process know the index once it is listed, those of others within
    // refreshMs; the backfill starts after that, so no write can slip past both.
    const listedAt = await this.#untilActive(table, index, signal);
    const known = listedAt + this.#catalog.refreshMs - Date.now();
    if (known > 0) await sleep(known, signal);
    await backfill(this.#client, table, index, this.#progress, signal);
  }

  /**
   * Adds the GSI unless the table has it, waits until it is ACTIVE, and answers when it
   * was first seen listed. DynamoDB adds one index at a time per table: this process
   * sends its additions to a table one after the other, and another process's addition
   * in the way is waited out. Looking again after adding matters: DynamoDB Local answers
   * concurrent additions to one table with success and keeps only one of them.
   */
  async #untilActive(table: string, index: GlobalIndex, signal: AbortSignal): Promise<number> {
    let listedAt: number | undefined;
    for (;;) {
      const askedAt = Date.now();
      const status = indexStatus(await this.#describe(table, signal), index);
      if (status !== undefined) listedAt ??= askedAt;
      if (status === 'ACTIVE') return listedAt as number;
      if (status === undefined) {
        listedAt = undefined;
        await this.#oneAtATime.run(table, signal, () => this.#add(table, index, signal));
      }
      await sleep(POLL_MS, signal);
    }
  }

  async #add(table: string, index: GlobalIndex, signal: AbortSignal): Promise<void> {
    try {
      await this.#client.send(
        new UpdateTableCommand({
          TableName: table,
          AttributeDefinitions: [
            { AttributeName: index.partitionAttribute, AttributeType: 'S' },
            { AttributeName: index.sortAttribute, AttributeType: 'S' },
          ],
          GlobalSecondaryIndexUpdates: [
            {
              Create: {
                IndexName: index.name,
                KeySchema: [
                  { AttributeName: index.partitionAttribute, KeyType: 'HASH' },
                  { AttributeName: index.sortAttribute, KeyType: 'RANGE' },
                ],
                // Queries return whole documents from the index itself.
                Projection: { ProjectionType: 'ALL' },
              },
            },
          ],
        }),
        { abortSignal: signal },
      );
    } catch (error) {
      // Another index is being added (by anyone), or this one just was: look again.
      if (!isBusy(error)) throw error;
    }
  }

  /** Describes the table, and tells the catalog what it learnt: our writers use it at once. */
  async #describe(table: string, signal: AbortSignal): Promise<TableDescription | undefined> {
    const askedAt = Date.now();
    const { Table } = await this.#client.send(new DescribeTableCommand({ TableName: table }), {
      abortSignal: signal,
    });
    this.#catalog.learn(table, Table, askedAt);
    return Table;
  }
}

function indexStatus(table: TableDescription | undefined, index: GlobalIndex): string | undefined {
  const gsi = table?.GlobalSecondaryIndexes?.find((each) => each.IndexName === index.name);
  return gsi?.IndexStatus;
}

/** The refusals of an UpdateTable that a later attempt may not meet. */
function isBusy(error: unknown): boolean {
  const name = errorName(error);
  if (name === 'ResourceInUseException' || name === 'LimitExceededException') return true;
  // Made by someone else between our look and our request.
  return name === 'ValidationException' && /already exists/i.test((error as Error).message);
}
