import {
  DeleteItemCommand,
  type DynamoDBClient,
  type DynamoDBClientConfig,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import {
  AbstractDatabaseService,
  type BackendFindPage,
  type BackendPage,
  type BatchSizes,
  type Capabilities,
  ConfigurationError,
  type DatabaseError,
  type DeleteOutcome,
  defineCapabilities,
  type ErrorTarget,
  type FindRequest,
  type PreparedDocument,
  type PreparedWrite,
  type ServiceOptions,
  type StoredDocument,
} from '@gofannon/db-core';
import { idPosition, revisionToken, settleEach, toChunks } from '@gofannon/db-core/adapter';
import type { Item } from './attribute-values';
import {
  BATCH_GET_LIMIT,
  BATCH_WRITE_LIMIT,
  batchGet,
  batchWrite,
  type Rounds,
} from './batch-requests';
import { absent, type Condition, expiredAt, present, revisionIs } from './conditions';
import {
  errorName,
  isConditionFailure,
  isMissingTable,
  translateDynamoDbError,
} from './dynamodb-errors';
import { idOf, isExpiredItem, keyOf, toDocument, toItem } from './items';
import { findIndexed } from './query/find-indexed';
import { findByTableScan } from './query/find-scan';
import { IndexBuilder } from './query/index-builder';
import { IndexCatalog } from './query/index-catalog';
import { addIndexKeys, globalIndex } from './query/index-definitions';
import { EXPIRES_MS, ID, REV } from './revisions';
import { parallelScan, scanFrom } from './scans';
import { SignalledDynamoDBClient } from './signalled-client';
import { tableNamer } from './table-names';
import { TableCreator } from './tables';
import { recordThrottling } from './throttle-events';

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
  /**
   * How old a writer's knowledge of a table's indexes may be, in milliseconds (default
   * 500): writes look the table's indexes up again after this long (one DescribeTable
   * per table, shared), and `ensureIndex` waits this long before it backfills. Every
   * process writing to the tables should use the same value.
   */
  indexRefreshMs?: number;
  /**
   * Turn DynamoDB's TTL on (attribute `_ttl`) for the tables the adapter creates, so that
   * DynamoDB deletes expired documents itself (default true). Expiry is exact without it:
   * expired documents are hidden and refused by the service's clock, and `purgeExpired`
   * reclaims them.
   */
  timeToLive?: boolean;
}

/** DynamoDB's limit on one item, as it counts sizes. */
const MAX_ITEM_BYTES = 400 * 1024;
/** Room beside the document for the key (up to 512 bytes of id) and the revision attribute. */
const KEY_AND_REVISION_BYTES = 1024;

const PING = new ListTablesCommand({ Limit: 1 });

/**
 * Within this many milliseconds a write shows in queries served by a global secondary
 * index, which DynamoDB keeps eventually consistent (typically well under a second).
 */
const INDEX_CONVERGENCE_MS = 5_000;

/** Deletes of one purge segment in flight at once (each its own request and time limit). */
const PURGE_DELETES_IN_FLIGHT = 25;

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
    queries: { consistent: false, convergenceMs: INDEX_CONVERGENCE_MS },
    expiry: true,
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
  readonly #catalog: IndexCatalog;
  readonly #indexBuilder: IndexBuilder;

  constructor(options: DynamoDbOptions = {}) {
    super(options);
    this.#table = tableNamer(options.tablePrefix ?? '');
    const requestTimeout = positiveInteger(
      options.requestTimeoutMs,
      this.timeoutMs,
      'requestTimeoutMs',
    );
    this.#scanSegments = positiveInteger(options.scanSegments, 4, 'scanSegments');
    this.#client = new SignalledDynamoDBClient({
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
    recordThrottling(this.#client);
    this.#tables = new TableCreator(this.#client, options.timeToLive ?? true);
    this.#catalog = new IndexCatalog(
      this.#client,
      positiveInteger(options.indexRefreshMs, 500, 'indexRefreshMs'),
    );
    this.#indexBuilder = new IndexBuilder(this.#client, this.#catalog, this.#tables);
  }

  protected async _get(
    collection: string,
    id: string,
    signal: AbortSignal,
  ): Promise<StoredDocument | null> {
    const reply = await unlessMissingTable(
      () =>
        this.#client.send(
          new GetItemCommand({
            TableName: this.#table(collection),
            Key: keyOf(id),
            ConsistentRead: true,
          }),
          { abortSignal: signal },
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
    signal: AbortSignal,
  ): Promise<string | null> {
    const table = this.#table(collection);
    // Revisions are random tokens: one over an expired item never repeats its old one.
    const rev = revisionToken();
    const now = this.now();
    const indexes = await this.#catalog.indexesOf(table, signal);
    const item = addIndexKeys(toItem(id, rev, doc.body, doc.expiresAt), id, doc.body, indexes);
    if (typeof ifRev === 'string') {
      const condition = revisionIs(ifRev, now);
      if (!condition) return null;
      // No table, no item: the condition cannot hold, and nothing is created.
      const written = await unlessMissingTable(
        () => this.#put(table, item, condition, signal),
        false,
      );
      return written ? rev : null;
    }
    const written = await this.#creatingTable(
      table,
      () => this.#put(table, item, ifRev === null ? absent(now) : undefined, signal),
      signal,
    );
    return written ? rev : null;
  }

  protected async _delete(
    collection: string,
    id: string,
    ifRev: string | undefined,
    signal: AbortSignal,
  ): Promise<DeleteOutcome> {
    const table = this.#table(collection);
    const now = this.now();
    const condition = ifRev === undefined ? present(now) : revisionIs(ifRev, now);
    if (!condition) {
      const doc = await this._get(collection, id, signal);
      const live =
        doc !== null && !(doc._expiresAt !== undefined && Date.parse(doc._expiresAt) <= now);
      return live ? 'conflict' : 'missing';
    }
    try {
      await this.#client.send(
        new DeleteItemCommand({
          TableName: table,
          Key: keyOf(id),
          ...condition,
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
        { abortSignal: signal },
      );
      return 'deleted';
    } catch (error) {
      if (isMissingTable(error)) return 'missing';
      if (!isConditionFailure(error)) throw error;
      // The item as it was when the condition failed: present and not expired means
      // another revision; absent or expired by now, it does not exist.
      const old = (error as { Item?: Item }).Item;
      return old !== undefined && !isExpiredItem(old, now) ? 'conflict' : 'missing';
    }
  }

  protected async _listPage(
    collection: string,
    limit: number,
    after: string | null,
    signal: AbortSignal,
  ): Promise<BackendPage> {
    const startKey = after === null ? undefined : keyOf(idPosition(after, collection));
    // One item more than the page says whether another page follows.
    const found = await unlessMissingTable(
      () => scanFrom(this.#client, this.#table(collection), startKey, limit + 1, signal),
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
    bounded: <T>(work: (signal: AbortSignal) => Promise<T>) => Promise<T>,
  ): Promise<StoredDocument[]> {
    const table = this.#table(collection);
    const scan = (signal: AbortSignal, startKey?: Item, limit?: number) =>
      this.#client.send(
        new ScanCommand({
          TableName: table,
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
          Limit: limit,
        }),
        { abortSignal: signal },
      );
    const first = await bounded((signal) =>
      unlessMissingTable(() => scan(signal, undefined, PROBE_ITEMS), undefined),
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
      const reply = await bounded((signal) => scan(signal, lastKey));
      for (const item of reply.Items ?? []) documents.push(toDocument(item));
      lastKey = reply.LastEvaluatedKey;
    }
    return documents;
  }

  protected override async _getMany(
    collection: string,
    ids: readonly string[],
    signal: AbortSignal,
  ): Promise<Array<StoredDocument | null>> {
    // Core hands over each id once (DynamoDB refuses a key twice in one request).
    const items = await unlessMissingTable(
      () =>
        batchGet(
          this.#client,
          this.#table(collection),
          { Keys: ids.map(keyOf) },
          this.#rounds(signal),
        ),
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
    signal: AbortSignal,
  ): Promise<Array<string | null | DatabaseError>> {
    const table = this.#table(collection);
    const toError = (error: unknown, write: PreparedWrite) =>
      this.asDatabaseError(error, { collection, id: write.id });
    const upserts = writes.filter((write) => write.ifRev === undefined);
    const conditional = settleEach(
      writes.filter((write) => write.ifRev !== undefined),
      (write) => this._save(collection, write.id, write.doc, write.ifRev, signal),
      toError,
    );
    const batched = (async (): Promise<Array<string | DatabaseError>> => {
      if (upserts.length === 0) return [];
      const revs = upserts.map(() => revisionToken());
      const indexes = await this.#catalog.indexesOf(table, signal);
      const items = upserts.map((write, i) =>
        addIndexKeys(
          toItem(write.id, revs[i] as string, write.doc.body, write.doc.expiresAt),
          write.id,
          write.doc.body,
          indexes,
        ),
      );
      try {
        await this.#creatingTable(
          table,
          () =>
            batchWrite(
              this.#client,
              table,
              items.map((item) => ({ PutRequest: { Item: item } })),
              this.#rounds(signal),
            ),
          signal,
        );
        return revs;
      } catch (error) {
        // DynamoDB refuses a whole batch for one bad item (one over 400 KB, say): write
        // them one by one, so only that item fails.
        if (errorName(error) !== 'ValidationException')
          return upserts.map((write) => toError(error, write));
        return settleEach(
          upserts,
          async (_write, i) => {
            await this.#put(table, items[i] as Item, undefined, signal);
            return revs[i] as string;
          },
          toError,
        );
      }
    })();
    const [conditionalOutcomes, batchedOutcomes] = await Promise.all([conditional, batched]);
    let nextConditional = 0;
    let nextBatched = 0;
    return writes.map((write) =>
      write.ifRev === undefined
        ? (batchedOutcomes[nextBatched++] as string | DatabaseError)
        : (conditionalOutcomes[nextConditional++] as string | null | DatabaseError),
    );
  }

  /**
   * Reads which ids exist (BatchGetItem of keys only), then deletes those with
   * BatchWriteItem, which does not say whether an item was there.
   */
  protected override async _deleteMany(
    collection: string,
    ids: readonly string[],
    signal: AbortSignal,
  ): Promise<Array<DeleteOutcome | DatabaseError>> {
    const table = this.#table(collection);
    const rounds = this.#rounds(signal);
    const now = this.now();
    const existing = await unlessMissingTable(
      () =>
        batchGet(
          this.#client,
          table,
          {
            Keys: ids.map(keyOf),
            ProjectionExpression: '#id, #exp',
            ExpressionAttributeNames: { '#id': ID, '#exp': EXPIRES_MS },
          },
          rounds,
        ),
      [],
    );
    // An item expired by now does not exist: it is missing, and left to the purge and TTL.
    const present = new Set(existing.filter((item) => !isExpiredItem(item, now)).map(idOf));
    const doomed = ids.filter((id) => present.has(id));
    await Promise.all(
      toChunks(doomed, BATCH_WRITE_LIMIT).map((piece) =>
        batchWrite(
          this.#client,
          table,
          piece.map((id) => ({ DeleteRequest: { Key: keyOf(id) } })),
          rounds,
        ),
      ),
    );
    return ids.map((id) => (present.has(id) ? 'deleted' : 'missing'));
  }

  /**
   * A query with an `ensureIndex`'d index is a Query on its GSI (eventually consistent);
   * any other is a strongly consistent Scan with a filter. Core's shared rules finish both.
   */
  protected override async _find(
    collection: string,
    request: FindRequest,
    bounded: <T>(work: (signal: AbortSignal) => Promise<T>) => Promise<T>,
  ): Promise<BackendFindPage> {
    const table = this.#table(collection);
    if (request.index !== undefined) {
      const page = await unlessMissingTable(
        () => findIndexed(this.#client, table, globalIndex(request.index ?? []), request, bounded),
        { documents: [], more: false },
      );
      if (page !== undefined) return page;
    }
    return findByTableScan(this.#client, table, request, bounded);
  }

  /** A global secondary index on key attributes the adapter writes (see `IndexBuilder`). */
  protected override async _ensureIndex(
    collection: string,
    fields: readonly string[],
    signal: AbortSignal,
  ): Promise<void> {
    await this.#indexBuilder.build(
      this.#table(collection),
      globalIndex(fields, collection),
      signal,
    );
  }

  /**
   * Scans the table for items expired by `now` (parallel segments, as `listAll`; only the
   * key and the revision come back), then deletes each one conditional on being still at
   * the revision seen and still expired: a document saved again meanwhile stays, and of
   * several processes purging at once each item is counted by the one whose delete
   * removed it. DynamoDB's own TTL deletes them too, within about two days.
   */
  protected override async _purgeExpired(
    collection: string,
    now: number,
    bounded: <T>(work: (signal: AbortSignal) => Promise<T>) => Promise<T>,
  ): Promise<number> {
    const table = this.#table(collection);
    const segments = this.#scanSegments;
    const segment = async (index: number): Promise<number> => {
      let purged = 0;
      let lastKey: Item | undefined;
      do {
        const startKey = lastKey;
        const reply = await bounded((signal) =>
          unlessMissingTable(
            () =>
              this.#client.send(
                new ScanCommand({
                  TableName: table,
                  ConsistentRead: true,
                  ...(segments > 1 ? { Segment: index, TotalSegments: segments } : {}),
                  ExclusiveStartKey: startKey,
                  FilterExpression: '#exp <= :now',
                  ProjectionExpression: '#id, #rev',
                  ExpressionAttributeNames: { '#id': ID, '#rev': REV, '#exp': EXPIRES_MS },
                  ExpressionAttributeValues: { ':now': { N: String(now) } },
                }),
                { abortSignal: signal },
              ),
            undefined,
          ),
        );
        if (reply === undefined) return purged;
        for (const chunk of toChunks(reply.Items ?? [], PURGE_DELETES_IN_FLIGHT)) {
          const deleted = await Promise.all(
            chunk.map((item) =>
              bounded((signal) => this.#deleteExpiredItem(table, item, now, signal)),
            ),
          );
          purged += deleted.filter(Boolean).length;
        }
        lastKey = reply.LastEvaluatedKey;
      } while (lastKey !== undefined);
      return purged;
    };
    const counts = await Promise.all(Array.from({ length: segments }, (_, i) => segment(i)));
    return counts.reduce((sum, count) => sum + count, 0);
  }

  /** Deletes an item the purge saw expired if it is still at that revision; false otherwise. */
  async #deleteExpiredItem(
    table: string,
    item: Item,
    now: number,
    signal: AbortSignal,
  ): Promise<boolean> {
    const rev = item[REV]?.S;
    if (rev === undefined) return false;
    try {
      await this.#client.send(
        new DeleteItemCommand({ TableName: table, Key: keyOf(idOf(item)), ...expiredAt(rev, now) }),
        { abortSignal: signal },
      );
      return true;
    } catch (error) {
      // Saved again, or deleted by another purge (or TTL): not ours to count.
      if (isConditionFailure(error) || isMissingTable(error)) return false;
      throw error;
    }
  }

  protected async _ping(signal: AbortSignal): Promise<void> {
    await this.#client.send(PING, { abortSignal: signal });
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

  /** The call's signal and the retry policy, for the rounds of batch requests. */
  #rounds(signal: AbortSignal): Rounds {
    return { signal, policy: this.retryPolicy };
  }

  /** A PutItem; false when its condition did not hold. */
  async #put(
    table: string,
    item: Item,
    condition: Condition | undefined,
    signal: AbortSignal,
  ): Promise<boolean> {
    try {
      await this.#client.send(new PutItemCommand({ TableName: table, Item: item, ...condition }), {
        abortSignal: signal,
      });
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Runs a request that may write; when the table is missing, creates it and runs it again. */
  async #creatingTable<T>(table: string, work: () => Promise<T>, signal: AbortSignal): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!isMissingTable(error)) throw error;
    }
    await this.#tables.ensure(table, signal);
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

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (Number.isInteger(value) && value > 0) return value;
  throw new ConfigurationError(
    `DynamoDB option ${name} must be a positive integer, got ${String(value)}`,
  );
}
