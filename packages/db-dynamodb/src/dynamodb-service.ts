import {
  DeleteItemCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import {
  AbstractDatabaseService,
  type BackendPage,
  type BatchSizes,
  type Capabilities,
  ConfigurationError,
  type DatabaseError,
  type DeleteOutcome,
  defineCapabilities,
  type ErrorTarget,
  type PreparedDocument,
  type PreparedWrite,
  type ServiceOptions,
  type StoredDocument,
  ValidationError,
} from '@gofannon/db-core';
import type { Item } from './attribute-values';
import {
  BATCH_GET_LIMIT,
  BATCH_WRITE_LIMIT,
  batchGet,
  batchWrite,
  inPieces,
} from './batch-requests';
import { ABSENT, type Condition, PRESENT, revisionIs } from './conditions';
import {
  errorName,
  isConditionFailure,
  isMissingTable,
  translateDynamoDbError,
} from './dynamodb-errors';
import { idOf, keyOf, toDocument, toItem } from './items';
import { ID, newRevision } from './revisions';
import { parallelScan, scanFrom } from './scans';
import { tableNamer } from './table-names';
import { TableCreator } from './tables';

/** Options of {@link DynamoDbDatabaseService}. */
export interface DynamoDbOptions extends ServiceOptions {
  /**
   * Settings of the AWS SDK's DynamoDB client: `region` (default us-east-1), `endpoint`
   * (DynamoDB Local, say), `credentials` (default: the standard AWS credential chain).
   */
  client?: DynamoDBClientConfig;
  /** Put before every table name: letters, digits, `_`, `-` and `.`. */
  tablePrefix?: string;
  /** Bound on each HTTP attempt in milliseconds (default: `timeoutMs`). */
  requestTimeoutMs?: number;
  /** Attempts per request, retries of throttling and network errors included (default 3). */
  maxAttempts?: number;
  /** Parallel Scan segments `listAll` uses on a table larger than one Scan page (default 4). */
  scanSegments?: number;
}

/** DynamoDB's limit on one item, as it counts sizes. */
const MAX_ITEM_BYTES = 400 * 1024;
/** Room beside the document for the key (up to 512 bytes of id) and the revision attribute. */
const KEY_AND_REVISION_BYTES = 1024;

const PING = new ListTablesCommand({ Limit: 1 });

/** `listAll` reads a table this large or smaller with one Scan, a larger one in parallel. */
const PROBE_ITEMS = 1000;

/**
 * The contract on DynamoDB: one table per collection with the string hash key `_id`,
 * on-demand billing, created by the first write. A document's fields are the item's
 * top-level attributes, next to `_id` and the revision attribute `_rev`. Conditional
 * saves, create-only saves and deletes are single conditional requests.
 */
export class DynamoDbDatabaseService extends AbstractDatabaseService {
  readonly provider = 'dynamodb';
  readonly capabilities: Capabilities = defineCapabilities({
    maxDocumentBytes: MAX_ITEM_BYTES - KEY_AND_REVISION_BYTES,
    // The item is level 1; DynamoDB nests attributes 32 levels deep.
    maxNestingDepth: 32,
    atomicBatches: false,
    // DynamoDB numbers: 1E-130 to 9.9999999999999999999999999999999999999E+125 in magnitude;
    // the largest double below that is 9.999999999999998e125 (9.999999999999999e125 is 1e126).
    numberRange: { maxAbs: 9.999999999999998e125, minAbs: 1e-130 },
    emptyFieldNames: false,
  });
  protected override readonly batchSizes: BatchSizes = {
    get: BATCH_GET_LIMIT,
    save: BATCH_WRITE_LIMIT,
    delete: BATCH_GET_LIMIT,
  };
  // Batch requests are small (25 writes, 100 reads): more of them in flight keep DynamoDB busy.
  protected override readonly batchConcurrency = 16;

  readonly #client: DynamoDBClient;
  readonly #table: (collection: string) => string;
  readonly #tables: TableCreator;
  readonly #scanSegments: number;

  constructor(options: DynamoDbOptions = {}) {
    super(options);
    this.#table = tableNamer(options.tablePrefix ?? '');
    const requestTimeout = positiveInteger(
      options.requestTimeoutMs,
      this.timeoutMs,
      'requestTimeoutMs',
    );
    this.#scanSegments = positiveInteger(options.scanSegments, 4, 'scanSegments');
    this.#client = new DynamoDBClient({
      region: 'us-east-1',
      retryMode: 'standard',
      maxAttempts: positiveInteger(options.maxAttempts, 3, 'maxAttempts'),
      requestHandler: {
        requestTimeout,
        throwOnRequestTimeout: true,
        connectionTimeout: Math.min(requestTimeout, 5_000),
        httpAgent: { keepAlive: true, maxSockets: 64 },
        httpsAgent: { keepAlive: true, maxSockets: 64 },
      },
      ...options.client,
    });
    this.#tables = new TableCreator(this.#client);
  }

  protected async _get(collection: string, id: string): Promise<StoredDocument | null> {
    const reply = await unlessMissingTable(
      () =>
        this.#client.send(
          new GetItemCommand({
            TableName: this.#table(collection),
            Key: keyOf(id),
            ConsistentRead: true,
          }),
        ),
      undefined,
    );
    return reply?.Item ? toDocument(reply.Item) : null;
  }

  protected async _save(
    collection: string,
    id: string,
    doc: PreparedDocument,
    ifRev: string | null | undefined,
  ): Promise<string | null> {
    const table = this.#table(collection);
    const rev = newRevision();
    const item = toItem(id, rev, doc.body);
    if (typeof ifRev === 'string') {
      const condition = revisionIs(ifRev);
      if (!condition) return null;
      // No table, no item: the condition cannot hold, and nothing is created.
      const written = await unlessMissingTable(() => this.#put(table, item, condition), false);
      return written ? rev : null;
    }
    const written = await this.#creatingTable(table, () =>
      this.#put(table, item, ifRev === null ? ABSENT : undefined),
    );
    return written ? rev : null;
  }

  protected async _delete(
    collection: string,
    id: string,
    ifRev: string | undefined,
  ): Promise<DeleteOutcome> {
    const table = this.#table(collection);
    const condition = ifRev === undefined ? PRESENT : revisionIs(ifRev);
    if (!condition) return (await this._get(collection, id)) ? 'conflict' : 'missing';
    try {
      await this.#client.send(
        new DeleteItemCommand({
          TableName: table,
          Key: keyOf(id),
          ...condition,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'deleted';
    } catch (error) {
      if (isMissingTable(error)) return 'missing';
      if (!isConditionFailure(error)) throw error;
      // The item as it was when the condition failed: present means another revision.
      return (error as { Item?: Item }).Item ? 'conflict' : 'missing';
    }
  }

  protected async _listPage(
    collection: string,
    limit: number,
    after: string | null,
  ): Promise<BackendPage> {
    const startKey = after === null ? undefined : keyOf(checkPosition(after, collection));
    // One item more than the page says whether another page follows.
    const found = await unlessMissingTable(
      () => scanFrom(this.#client, this.#table(collection), startKey, limit + 1),
      undefined,
    );
    if (!found) return { documents: [], next: null };
    const page = found.items.slice(0, limit);
    // The position is the key of the page's last item: what LastEvaluatedKey would be
    // had the Scan stopped there.
    const last = page.at(-1);
    return {
      documents: page.map(toDocument),
      next: found.items.length > limit && last ? idOf(last) : null,
    };
  }

  /**
   * One Scan of up to {@link PROBE_ITEMS} items first: a small table costs one request. A
   * larger table is then read again as parallel Scan segments, which is faster than
   * following one Scan page by page; at most the probe's items are read twice.
   */
  protected override async _listAll(
    collection: string,
    bounded: <T>(work: () => Promise<T>) => Promise<T>,
  ): Promise<StoredDocument[]> {
    const table = this.#table(collection);
    const scan = (startKey?: Item, limit?: number) =>
      this.#client.send(
        new ScanCommand({
          TableName: table,
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
          Limit: limit,
        }),
      );
    const first = await bounded(() =>
      unlessMissingTable(() => scan(undefined, PROBE_ITEMS), undefined),
    );
    if (!first) return [];
    let lastKey = first.LastEvaluatedKey;
    if (lastKey === undefined) return (first.Items ?? []).map(toDocument);
    if (this.#scanSegments > 1) {
      const segments = await parallelScan(this.#client, table, this.#scanSegments, bounded);
      return segments.flatMap((items) => items.map(toDocument));
    }
    const documents = (first.Items ?? []).map(toDocument);
    while (lastKey !== undefined) {
      const reply = await bounded(() => scan(lastKey));
      for (const item of reply.Items ?? []) documents.push(toDocument(item));
      lastKey = reply.LastEvaluatedKey;
    }
    return documents;
  }

  protected override async _getMany(
    collection: string,
    ids: readonly string[],
  ): Promise<Array<StoredDocument | null>> {
    // DynamoDB refuses a key twice in one request; each position still gets its own object.
    const keys = [...new Set(ids)].map(keyOf);
    const items = await unlessMissingTable(
      () => batchGet(this.#client, this.#table(collection), { Keys: keys }),
      [],
    );
    const byId = new Map(items.map((item) => [idOf(item), item]));
    return ids.map((id) => {
      const item = byId.get(id);
      return item ? toDocument(item) : null;
    });
  }

  /**
   * Upserts go out as BatchWriteItem requests; writes with `ifRev` as conditional
   * PutItems, since a batch cannot carry conditions. Each group reports its own failures.
   */
  protected override async _saveMany(
    collection: string,
    writes: readonly PreparedWrite[],
  ): Promise<Array<string | null | DatabaseError>> {
    const table = this.#table(collection);
    const outcomes: Array<string | null | DatabaseError> = new Array(writes.length);
    const upserts: Array<{ index: number; item: Item; rev: string }> = [];
    const conditional: Array<Promise<void>> = [];
    writes.forEach((write, index) => {
      if (write.ifRev !== undefined) {
        conditional.push(
          this._save(collection, write.id, write.doc, write.ifRev).then(
            (rev) => {
              outcomes[index] = rev;
            },
            (error: unknown) => {
              outcomes[index] = this.asDatabaseError(error, { collection, id: write.id });
            },
          ),
        );
        return;
      }
      const rev = newRevision();
      upserts.push({ index, rev, item: toItem(write.id, rev, write.doc.body) });
    });
    const batched = async () => {
      if (upserts.length === 0) return;
      try {
        await this.#creatingTable(table, () =>
          batchWrite(
            this.#client,
            table,
            upserts.map(({ item }) => ({ PutRequest: { Item: item } })),
          ),
        );
        for (const { index, rev } of upserts) outcomes[index] = rev;
      } catch (error) {
        // DynamoDB refuses a whole batch for one bad item (one over 400 KB, say): write
        // them one by one, so only that item fails.
        if (errorName(error) === 'ValidationException') {
          await Promise.all(
            upserts.map((upsert) => this.#putAlone(collection, table, upsert, outcomes)),
          );
          return;
        }
        for (const { index, item } of upserts) {
          outcomes[index] = this.asDatabaseError(error, { collection, id: idOf(item) });
        }
      }
    };
    await Promise.all([batched(), ...conditional]);
    return outcomes;
  }

  /**
   * Reads which ids exist (BatchGetItem of keys only), then deletes those with
   * BatchWriteItem, which does not say whether an item was there.
   */
  protected override async _deleteMany(
    collection: string,
    ids: readonly string[],
  ): Promise<Array<DeleteOutcome | DatabaseError>> {
    const table = this.#table(collection);
    const existing = await unlessMissingTable(
      () =>
        batchGet(this.#client, table, {
          Keys: ids.map(keyOf),
          ProjectionExpression: '#id',
          ExpressionAttributeNames: { '#id': ID },
        }),
      [],
    );
    const present = new Set(existing.map(idOf));
    const doomed = ids.filter((id) => present.has(id));
    await Promise.all(
      inPieces(doomed, BATCH_WRITE_LIMIT).map((piece) =>
        batchWrite(
          this.#client,
          table,
          piece.map((id) => ({ DeleteRequest: { Key: keyOf(id) } })),
        ),
      ),
    );
    return ids.map((id) => (present.has(id) ? 'deleted' : 'missing'));
  }

  protected async _ping(): Promise<void> {
    await this.#client.send(PING);
  }

  protected override async _close(): Promise<void> {
    this.#client.destroy();
  }

  protected override _translateError(
    error: unknown,
    target: ErrorTarget,
  ): DatabaseError | undefined {
    return translateDynamoDbError(error, target);
  }

  /** A PutItem; false when its condition did not hold. */
  async #put(table: string, item: Item, condition: Condition | undefined): Promise<boolean> {
    try {
      await this.#client.send(new PutItemCommand({ TableName: table, Item: item, ...condition }));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async #putAlone(
    collection: string,
    table: string,
    upsert: { index: number; item: Item; rev: string },
    outcomes: Array<string | null | DatabaseError>,
  ): Promise<void> {
    try {
      await this.#put(table, upsert.item, undefined);
      outcomes[upsert.index] = upsert.rev;
    } catch (error) {
      outcomes[upsert.index] = this.asDatabaseError(error, { collection, id: idOf(upsert.item) });
    }
  }

  /** Runs a request that may write; when the table is missing, creates it and runs it again. */
  async #creatingTable<T>(table: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!isMissingTable(error)) throw error;
    }
    await this.#tables.ensure(table);
    return work();
  }
}

/** Runs a request on a table that may not exist; a missing table gives `missing`. */
async function unlessMissingTable<T, M>(work: () => Promise<T>, missing: M): Promise<T | M> {
  try {
    return await work();
  } catch (error) {
    if (isMissingTable(error)) return missing;
    throw error;
  }
}

/** A list position is the id of the last item of a page; anything else is a forged cursor. */
function checkPosition(after: string, collection: string): string {
  if (after.length > 0 && after.isWellFormed() && Buffer.byteLength(after) <= 512) return after;
  throw new ValidationError('Invalid cursor: it does not come from this collection', {
    collection,
  });
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (Number.isInteger(value) && value > 0) return value;
  throw new ConfigurationError(
    `DynamoDB option ${name} must be a positive integer, got ${String(value)}`,
  );
}
