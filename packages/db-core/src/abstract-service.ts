import { copyJson } from './adapter/copy-json';
import { toDatabaseError } from './backend-errors';
import { preparedChunks, toChunks } from './batching';
import { type AbortCause, CallSignals } from './call-signals';
import type { Capabilities } from './capabilities';
import { decodeCursor, encodeCursor } from './cursor';
import {
  ConflictError,
  type DatabaseError,
  type ErrorTarget,
  InternalError,
  isDatabaseError,
  NotFoundError,
  UnavailableError,
  ValidationError,
} from './errors';
import { type Clock, isExpired } from './expiry';
import { findByScan } from './query/fallback';
import { findResult, planFind } from './query/find';
import { IndexRegistry } from './query/index-registry';
import type { BackendFindPage, FindRequest, IndexDefinition, Query } from './query/types';
import { readIndexFields } from './query/validate';
import { type RetryPolicy, resolveRetryPolicy } from './retry-policy';
import { noteRequest } from './telemetry/call-state';
import { type GaugeDefinition, ServiceTelemetry } from './telemetry/service-telemetry';
import type {
  CallOptions,
  DatabaseService,
  DeleteManyResult,
  DeleteOptions,
  ListOptions,
  ListPage,
  SaveManyItem,
  SaveManyResult,
  SaveOptions,
  StoredDocument,
  WriteResult,
} from './types';
import { type PreparedDocument, prepareDocument } from './validation/document';
import { readExpiresAt } from './validation/expiry';
import {
  assertCollectionName,
  assertDocumentId,
  describe,
  isCollectionName,
} from './validation/names';
import {
  assertArray,
  readDeleteIfRev,
  readOptions,
  readPageSize,
  readSaveIfRev,
  readSignal,
} from './validation/options';

/** The default bound on every backend call, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** Settings every adapter accepts. */
export interface ServiceOptions {
  /** Bound on each backend call in milliseconds (default 10 000); past it the call fails with 503. */
  timeoutMs?: number;
  /** How backend calls are retried (contention, throttling); see {@link RetryPolicy}. */
  retry?: Partial<RetryPolicy>;
  /**
   * The clock documents expire by, in epoch milliseconds (default `Date.now`): inject one
   * to test expiry without waiting.
   */
  clock?: Clock;
}

/** Deletes of one purge request: small enough that a slow backend answers each in time. */
const PURGE_CHUNK = 100;

/** What a backend did with one delete. */
export type DeleteOutcome = 'deleted' | 'missing' | 'conflict';

/** A saveMany item whose id and ifRev are valid; its document is checked with its chunk. */
interface AcceptedWrite {
  index: number;
  id: string;
  ifRev: string | null | undefined;
  input: unknown;
  expiresAt: number | undefined;
}

/** One validated write handed to {@link AbstractDatabaseService._saveMany}. */
export interface PreparedWrite {
  id: string;
  doc: PreparedDocument;
  ifRev: string | null | undefined;
}

/** A write with its position in the saveMany call. */
type IndexedWrite = PreparedWrite & { index: number };

/** One page as an adapter returns it: `next` is its own position, or `null` at the end. */
export interface BackendPage {
  documents: StoredDocument[];
  next: string | null;
}

/** Largest number of items each batch call hands to the backend at once. */
export interface BatchSizes {
  get: number;
  save: number;
  delete: number;
  /** Most bytes of documents (their JSON) one `_saveMany` call carries; unbounded when absent. */
  saveBytes?: number;
}

/**
 * The base of every adapter. Its public methods validate and normalise every argument,
 * bound every backend call in time, map every failure to a {@link DatabaseError}, split
 * batches and walk pages; an adapter only implements the protected `_`-methods, which
 * receive valid input and talk to the backend.
 */
export abstract class AbstractDatabaseService implements DatabaseService {
  abstract readonly provider: string;
  abstract readonly capabilities: Capabilities;

  /** Bound on each backend call, in milliseconds. */
  protected readonly timeoutMs: number;
  /** The one retry policy of this service; pass it to `retry` of `@gofannon/db-core/adapter`. */
  protected readonly retryPolicy: RetryPolicy;
  /** How many items one backend batch call may carry; override with the backend's limits. */
  protected readonly batchSizes: BatchSizes = { get: 1000, save: 1000, delete: 1000 };
  /** How many batch chunks run at the same time. */
  protected readonly batchConcurrency: number = 4;
  /**
   * True for an adapter whose backend lives in this process and never waits for I/O (the
   * memory adapter): its `_`-methods settle before any timer could fire, so its calls get
   * no deadline, only the caller's signal (or one that never aborts). Creating a signal and
   * a deadline would cost more than such a call itself.
   */
  protected readonly inProcess: boolean = false;

  #closing: Promise<void> | undefined;
  readonly #signals: CallSignals;
  readonly #clock: Clock;
  readonly #indexes = new IndexRegistry();
  /** Made on first use: `provider` is a subclass field, unset while this constructor runs. */
  #telemetry: ServiceTelemetry | undefined;

  constructor(options: ServiceOptions = {}) {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
      throw new ValidationError(`timeoutMs must be a positive integer, got ${describe(timeoutMs)}`);
    }
    this.timeoutMs = timeoutMs;
    this.retryPolicy = resolveRetryPolicy(options.retry);
    if (options.clock !== undefined && typeof options.clock !== 'function') {
      throw new ValidationError(`clock must be a function, got ${describe(options.clock)}`);
    }
    this.#clock = options.clock ?? Date.now;
    this.#signals = new CallSignals(timeoutMs);
  }

  /**
   * Now, in epoch milliseconds, by the service's clock: a document whose expiry is at or
   * before it does not exist. Adapters that declare `capabilities.expiry` compare with it
   * in their conditional writes.
   */
  protected now(): number {
    return this.#clock();
  }

  // Every `_`-method gets the call's signal last. It aborts at the call's deadline or when
  // the caller aborts; hand it to the backend client, and stop retries and waits on it.

  /** Reads one document, or `null` when it does not exist. */
  protected abstract _get(
    collection: string,
    id: string,
    signal: AbortSignal,
  ): Promise<StoredDocument | null>;
  /**
   * Writes one document and returns its new revision, or `null` when `ifRev` does not hold:
   * a string must equal the stored revision, `null` means the document must not exist,
   * `undefined` means write whatever is stored. With `capabilities.expiry`, store
   * `doc.expiresAt` (it is in `doc.json` as `_expiresAt` too), and a document expired by
   * `this.now()` does not exist: `null` writes over it, a string never matches it, and the
   * new revision still follows its old one (a revision is never used twice).
   */
  protected abstract _save(
    collection: string,
    id: string,
    doc: PreparedDocument,
    ifRev: string | null | undefined,
    signal: AbortSignal,
  ): Promise<string | null>;
  /**
   * Deletes one document, only if its revision equals `ifRev` when one is given. With
   * `capabilities.expiry`, a document expired by `this.now()` is `'missing'`. An
   * in-process adapter may answer the outcome itself rather than a promise of it: awaiting
   * a promise costs a turn of the microtask queue, about as much as a whole in-memory delete.
   */
  protected abstract _delete(
    collection: string,
    id: string,
    ifRev: string | undefined,
    signal: AbortSignal,
  ): Promise<DeleteOutcome> | DeleteOutcome;
  /** Up to `limit` documents after position `after` (`null`: from the start), in a stable order. */
  protected abstract _listPage(
    collection: string,
    limit: number,
    after: string | null,
    signal: AbortSignal,
  ): Promise<BackendPage>;
  /** Resolves when the backend answers. */
  protected abstract _ping(signal: AbortSignal): Promise<void>;

  /** Releases the backend's resources. */
  protected async _close(): Promise<void> {}

  /**
   * Deletes one expired document if it is still at revision `rev` (expired or not: this is
   * the purge, not a caller's delete); `false` when it changed or is gone. Adapters that
   * declare `capabilities.expiry` implement it, unless their `_purgeExpired` needs none.
   */
  protected _deleteExpired(
    _collection: string,
    _id: string,
    _rev: string,
    _signal: AbortSignal,
  ): Promise<boolean> {
    return Promise.reject(
      new InternalError(`The ${this.provider} adapter declares expiry but cannot purge`),
    );
  }

  /**
   * Deletes the collection's documents expired by `now`, passing each backend request
   * through `bounded`; resolves with how many it deleted. The default walks the collection
   * a page at a time and deletes each expired document at the revision it saw, a page's
   * worth at once. Override it where the backend finds expired documents by an index.
   */
  protected async _purgeExpired(
    collection: string,
    now: number,
    bounded: <T>(work: (signal: AbortSignal) => Promise<T>) => Promise<T>,
  ): Promise<number> {
    let purged = 0;
    let after: string | null = null;
    do {
      const position: string | null = after;
      const page: BackendPage = await bounded((signal) =>
        this._listPage(collection, this.listAllPageSize, position, signal),
      );
      const expired = page.documents.filter((doc) => isExpired(doc, now));
      const deleted = await this.#inChunks(
        toChunks(expired, Math.min(PURGE_CHUNK, this.batchSizes.delete)),
        (chunk) =>
          bounded((signal) =>
            Promise.all(
              chunk.map((doc) => this._deleteExpired(collection, doc._id, doc._rev, signal)),
            ),
          ),
      );
      purged += deleted.flat().filter(Boolean).length;
      after = page.next;
    } while (after !== null);
    return purged;
  }

  /** Reads one chunk of distinct ids (core drops repeats first); override with the backend's batch read. */
  protected _getMany(
    collection: string,
    ids: readonly string[],
    signal: AbortSignal,
  ): Promise<Array<StoredDocument | null>> {
    return Promise.all(ids.map((id) => this._get(collection, id, signal)));
  }

  /** Writes one chunk; override with the backend's batch write. Report each item's outcome. */
  protected _saveMany(
    collection: string,
    writes: readonly PreparedWrite[],
    signal: AbortSignal,
  ): Promise<Array<string | null | DatabaseError>> {
    return Promise.all(
      writes.map((write) =>
        this._save(collection, write.id, write.doc, write.ifRev, signal).catch((error: unknown) =>
          this.asDatabaseError(error, { collection, id: write.id }),
        ),
      ),
    );
  }

  /** Deletes one chunk; override with the backend's batch delete. Report each item's outcome. */
  protected _deleteMany(
    collection: string,
    ids: readonly string[],
    signal: AbortSignal,
  ): Promise<Array<DeleteOutcome | DatabaseError>> {
    return Promise.all(
      ids.map(async (id) => {
        try {
          return await this._delete(collection, id, undefined, signal);
        } catch (error) {
          return this.asDatabaseError(error, { collection, id });
        }
      }),
    );
  }

  /**
   * Maps a backend's own errors to {@link DatabaseError}s; return `undefined` to fall back to
   * the shared mapping (network failures 503, anything else 500).
   */
  protected _translateError(_error: unknown, _target: ErrorTarget): DatabaseError | undefined {
    return undefined;
  }

  /** Size of the pages `listAll` reads. */
  protected get listAllPageSize(): number {
    return 1000;
  }

  // The public calls: each runs in a span and is measured while an OpenTelemetry SDK is
  // registered (see telemetry/), and goes straight to its implementation below otherwise.

  get(collection: string, id: string, options?: CallOptions): Promise<StoredDocument> {
    const telemetry = this.#recordingTelemetry();
    if (telemetry === undefined) return this.#get(collection, id, options);
    return telemetry.observe('get', nameOf(collection), undefined, () =>
      this.#get(collection, id, options),
    );
  }

  save(collection: string, id: string, doc: object, options?: SaveOptions): Promise<WriteResult> {
    const telemetry = this.#recordingTelemetry();
    if (telemetry === undefined) return this.#save(collection, id, doc, options);
    return telemetry.observe('save', nameOf(collection), undefined, () =>
      this.#save(collection, id, doc, options),
    );
  }

  delete(collection: string, id: string, options?: DeleteOptions): Promise<void> {
    const telemetry = this.#recordingTelemetry();
    if (telemetry === undefined) return this.#delete(collection, id, options);
    return telemetry.observe('delete', nameOf(collection), undefined, () =>
      this.#delete(collection, id, options),
    );
  }

  listAll(collection: string, options?: CallOptions): Promise<StoredDocument[]> {
    const telemetry = this.#recordingTelemetry();
    if (telemetry === undefined) return this.#listAll(collection, options);
    return telemetry.observe(
      'listAll',
      nameOf(collection),
      undefined,
      () => this.#listAll(collection, options),
      (documents) => documents.length,
    );
  }

  list(collection: string, options?: ListOptions): Promise<ListPage> {
    const telemetry = this.#recordingTelemetry();
    if (telemetry === undefined) return this.#list(collection, options);
    return telemetry.observe(
      'list',
      nameOf(collection),
      undefined,
      () => this.#list(collection, options),
      pageSize,
    );
  }

  /**
   * Repeated ids are read once: the backend gets each distinct id, and every repeat gets
   * its own copy of the document, so no two positions share an object.
   */
  getMany(
    collection: string,
    ids: readonly string[],
    options?: CallOptions,
  ): Promise<Array<StoredDocument | null>> {
    const telemetry = this.#recordingTelemetry();
    if (telemetry === undefined) return this.#getMany(collection, ids, options);
    return telemetry.observe(
      'getMany',
      nameOf(collection),
      lengthOf(ids),
      () => this.#getMany(collection, ids, options),
      (found) => found.filter((doc) => doc !== null).length,
    );
  }

  saveMany(
    collection: string,
    items: readonly SaveManyItem[],
    options?: CallOptions,
  ): Promise<SaveManyResult[]> {
    const telemetry = this.#recordingTelemetry();
    if (telemetry === undefined) return this.#saveMany(collection, items, options);
    return telemetry.observe('saveMany', nameOf(collection), lengthOf(items), () =>
      this.#saveMany(collection, items, options),
    );
  }

  deleteMany(
    collection: string,
    ids: readonly string[],
    options?: CallOptions,
  ): Promise<DeleteManyResult[]> {
    const telemetry = this.#recordingTelemetry();
    if (telemetry === undefined) return this.#deleteMany(collection, ids, options);
    return telemetry.observe('deleteMany', nameOf(collection), lengthOf(ids), () =>
      this.#deleteMany(collection, ids, options),
    );
  }

  find(collection: string, query?: Query, options?: CallOptions): Promise<ListPage> {
    const telemetry = this.#recordingTelemetry();
    if (telemetry === undefined) return this.#find(collection, query, options);
    return telemetry.observe(
      'find',
      nameOf(collection),
      undefined,
      () => this.#find(collection, query, options),
      pageSize,
    );
  }

  ensureIndex(collection: string, index: IndexDefinition, options?: CallOptions): Promise<void> {
    const telemetry = this.#recordingTelemetry();
    if (telemetry === undefined) return this.#ensureIndex(collection, index, options);
    return telemetry.observe('ensureIndex', nameOf(collection), undefined, () =>
      this.#ensureIndex(collection, index, options),
    );
  }

  purgeExpired(collection: string, options?: CallOptions): Promise<number> {
    const telemetry = this.#recordingTelemetry();
    if (telemetry === undefined) return this.#purgeExpired(collection, options);
    return telemetry.observe('purgeExpired', nameOf(collection), undefined, () =>
      this.#purgeExpired(collection, options),
    );
  }

  ping(options?: CallOptions): Promise<void> {
    const telemetry = this.#recordingTelemetry();
    if (telemetry === undefined) return this.#ping(options);
    return telemetry.observe('ping', undefined, undefined, () => this.#ping(options));
  }

  /**
   * Reports gauges only the adapter knows (a connection pool's sizes, say) with the
   * service's metrics, while an OpenTelemetry SDK is registered; until `close`.
   */
  protected reportGauges(gauges: GaugeDefinition[]): void {
    this.#telemetryOf().addGauges(gauges);
  }

  async #get(collection: string, id: string, options?: CallOptions): Promise<StoredDocument> {
    const target = this.#documentTarget(collection, id);
    const signal = options === undefined ? undefined : this.#signalOf(options, target);
    let doc: StoredDocument | null;
    try {
      doc = this.inProcess
        ? await this._get(collection, id, this.#inProcessSignal(target, signal))
        : await this.#call(target, (s) => this._get(collection, id, s), signal);
    } catch (error) {
      throw this.asDatabaseError(error, target);
    }
    if (!doc || this.#expired(doc)) {
      throw new NotFoundError(`Document ${label(target)} not found`, target);
    }
    return doc;
  }

  async #save(
    collection: string,
    id: string,
    doc: object,
    options?: SaveOptions,
  ): Promise<WriteResult> {
    const target = this.#documentTarget(collection, id);
    const read = readOptions(options, target);
    const ifRev = readSaveIfRev(read.ifRev, target);
    const signal = readSignal(read.signal, target);
    const prepared = prepareDocument(doc, this.capabilities, target, this.#expiresAt(read, target));
    let rev: string | null;
    try {
      rev = this.inProcess
        ? await this._save(collection, id, prepared, ifRev, this.#inProcessSignal(target, signal))
        : await this.#call(target, (s) => this._save(collection, id, prepared, ifRev, s), signal);
    } catch (error) {
      throw this.asDatabaseError(error, target);
    }
    if (rev === null) throw saveConflict(target, ifRev);
    return { id, rev };
  }

  /**
   * Not an async function: an in-process adapter answers a delete at once, and an async
   * function would add a promise of its own on top (a small share of an in-memory delete:
   * the bench could not tell it from its noise).
   */
  #delete(collection: string, id: string, options?: DeleteOptions): Promise<void> {
    let target: ErrorTarget;
    let ifRev: string | undefined;
    let signal: AbortSignal | undefined;
    try {
      target = this.#documentTarget(collection, id);
      if (options !== undefined) {
        const read = readOptions(options, target);
        ifRev = readDeleteIfRev(read.ifRev, target);
        signal = readSignal(read.signal, target);
      }
    } catch (invalid) {
      return Promise.reject(invalid);
    }
    let outcome: DeleteOutcome | Promise<DeleteOutcome>;
    try {
      outcome = this.inProcess
        ? this._delete(collection, id, ifRev, this.#inProcessSignal(target, signal))
        : this.#call(target, async (s) => this._delete(collection, id, ifRev, s), signal);
    } catch (error) {
      return Promise.reject(this.asDatabaseError(error, target));
    }
    // Only a promise is awaited: see `_delete`.
    if (typeof outcome === 'string') {
      return outcome === 'deleted' ? DONE : Promise.reject(deleteFailure(outcome, target));
    }
    return outcome.then(
      (settled) => {
        if (settled !== 'deleted') throw deleteFailure(settled, target);
      },
      (error: unknown) => {
        throw this.asDatabaseError(error, target);
      },
    );
  }

  async #listAll(collection: string, options?: CallOptions): Promise<StoredDocument[]> {
    const target = this.#target(collection);
    const signal = this.#signalOf(options, target);
    try {
      const all = await this._listAll(
        collection,
        (work) =>
          this.#call(target, work, signal).catch((error: unknown) => {
            throw this.asDatabaseError(error, target);
          }),
        signal,
      );
      return this.#live(all);
    } catch (error) {
      throw this.asDatabaseError(error, target);
    }
  }

  /**
   * Reads a whole collection, passing each backend request through `bounded`, which
   * applies the time limit to that request and hands it its signal. The default follows
   * `_listPage`, {@link listAllPageSize} at a time; override it where the backend reads
   * faster another way, such as several scans in parallel. `callerSignal` is the caller's
   * own signal, when it gave one (each bounded request's signal follows it already).
   */
  protected async _listAll(
    collection: string,
    bounded: <T>(work: (signal: AbortSignal) => Promise<T>) => Promise<T>,
    _callerSignal?: AbortSignal,
  ): Promise<StoredDocument[]> {
    const all: StoredDocument[] = [];
    let after: string | null = null;
    do {
      const position: string | null = after;
      const page: BackendPage = await bounded((signal) =>
        this._listPage(collection, this.listAllPageSize, position, signal),
      );
      for (const doc of page.documents) all.push(doc);
      after = page.next;
    } while (after !== null);
    return all;
  }

  async #list(collection: string, options?: ListOptions): Promise<ListPage> {
    const target = this.#target(collection);
    const { limit: rawLimit, cursor, signal } = readOptions(options, target);
    const limit = readPageSize(rawLimit, target);
    const callerSignal = readSignal(signal, target);
    const after = cursor === undefined || cursor === null ? null : decodeCursor(collection, cursor);
    let page: BackendPage;
    try {
      page = await this.#call(
        target,
        (s) => this._listPage(collection, limit, after, s),
        callerSignal,
      );
    } catch (error) {
      throw this.asDatabaseError(error, target);
    }
    // An expired document is skipped, so a page may hold fewer than `limit`; the cursor
    // is the backend's position, after it all the same.
    return {
      documents: this.#live(page.documents),
      nextCursor: page.next === null ? null : encodeCursor(collection, page.next),
    };
  }

  async #getMany(
    collection: string,
    ids: readonly string[],
    options?: CallOptions,
  ): Promise<Array<StoredDocument | null>> {
    const target = this.#target(collection);
    assertArray(ids, 'ids', target);
    const signal = this.#signalOf(options, target);
    for (const id of ids) assertDocumentId(id, collection);
    const distinct = [...new Set(ids)];
    const chunks = await this.#inChunks(toChunks(distinct, this.batchSizes.get), (chunk) =>
      this.#callBatch(target, chunk.length, (s) => this._getMany(collection, chunk, s), signal),
    );
    const now = this.now();
    const found = chunks.flat().map((doc) => (doc && isExpired(doc, now) ? null : doc));
    if (distinct.length === ids.length) return found;
    const byId = new Map(distinct.map((id, i) => [id, found[i] ?? null]));
    const handedOut = new Set<string>();
    return ids.map((id) => {
      const doc = byId.get(id) ?? null;
      if (doc === null || !handedOut.has(id)) {
        handedOut.add(id);
        return doc;
      }
      return copyJson(doc);
    });
  }

  async #saveMany(
    collection: string,
    items: readonly SaveManyItem[],
    options?: CallOptions,
  ): Promise<SaveManyResult[]> {
    const target = this.#target(collection);
    assertArray(items, 'items', target);
    const signal = this.#signalOf(options, target);
    const results: SaveManyResult[] = new Array(items.length);
    const accepted: AcceptedWrite[] = [];
    const seen = new Set<string>();
    items.forEach((item, index) => {
      const id = (item as Partial<SaveManyItem> | null)?.id;
      try {
        if (typeof item !== 'object' || item === null) {
          throw new ValidationError(
            `items[${index}] must be an object { id, doc, ifRev? }`,
            target,
          );
        }
        assertDocumentId(id, collection);
        const ifRev = readSaveIfRev(item.ifRev, { collection, id });
        const expiresAt = this.#expiresAt(item, { collection, id });
        accepted.push({ index, id, ifRev, input: item.doc, expiresAt });
      } catch (error) {
        if (!isDatabaseError(error)) throw error;
        results[index] = { id: String(id), error };
      }
      if (typeof id === 'string') {
        if (seen.has(id)) {
          throw new ValidationError(
            `Id ${describe(id)} appears more than once in one saveMany call`,
            {
              collection,
              id,
            },
          );
        }
        seen.add(id);
      }
    });
    // Documents are checked and encoded chunk by chunk, when their chunk is sent: the
    // backend works on the first chunks while this process encodes the next ones.
    const nextChunk = preparedChunks(
      accepted,
      this.batchSizes.save,
      this.batchSizes.saveBytes ?? Number.POSITIVE_INFINITY,
      ({ index, id, ifRev, input, expiresAt }): IndexedWrite | undefined => {
        try {
          return {
            index,
            id,
            ifRev,
            doc: prepareDocument(input, this.capabilities, { collection, id }, expiresAt),
          };
        } catch (error) {
          if (!isDatabaseError(error)) throw error;
          results[index] = { id, error };
          return undefined;
        }
      },
      (write) => write.doc.bytes,
    );
    await this.#eachChunk(nextChunk, async (chunk) => {
      const outcomes = await this.#callBatch(
        target,
        chunk.length,
        (s) => this._saveMany(collection, chunk, s),
        signal,
      ).catch((error: DatabaseError) => chunk.map(() => error));
      chunk.forEach((write, i) => {
        const itemTarget = { collection, id: write.id };
        const outcome = outcomes[i];
        if (typeof outcome === 'string' && outcome.length > 0) {
          results[write.index] = { id: write.id, rev: outcome };
        } else if (outcome === null) {
          results[write.index] = { id: write.id, error: saveConflict(itemTarget, write.ifRev) };
        } else {
          results[write.index] = { id: write.id, error: this.#itemError(outcome, itemTarget) };
        }
      });
    });
    return results;
  }

  async #deleteMany(
    collection: string,
    ids: readonly string[],
    options?: CallOptions,
  ): Promise<DeleteManyResult[]> {
    const target = this.#target(collection);
    assertArray(ids, 'ids', target);
    const signal = this.#signalOf(options, target);
    const results: DeleteManyResult[] = new Array(ids.length);
    const valid: Array<{ id: string; index: number }> = [];
    const seen = new Set<unknown>();
    ids.forEach((id, index) => {
      if (seen.has(id)) {
        throw new ValidationError(
          `Id ${describe(id)} appears more than once in one deleteMany call`,
          target,
        );
      }
      seen.add(id);
      try {
        assertDocumentId(id, collection);
        valid.push({ id, index });
      } catch (error) {
        if (!isDatabaseError(error)) throw error;
        results[index] = { id: String(id), error };
      }
    });
    await this.#inChunks(toChunks(valid, this.batchSizes.delete), async (chunk) => {
      const outcomes = await this.#callBatch(
        target,
        chunk.length,
        (s) =>
          this._deleteMany(
            collection,
            chunk.map((item) => item.id),
            s,
          ),
        signal,
      ).catch((error: DatabaseError) => chunk.map(() => error));
      chunk.forEach(({ id, index }, i) => {
        const outcome = outcomes[i];
        const itemTarget = { collection, id };
        if (outcome === 'deleted') results[index] = { id };
        else if (outcome === 'missing' || outcome === 'conflict') {
          results[index] = { id, error: deleteFailure(outcome, itemTarget) };
        } else results[index] = { id, error: this.#itemError(outcome, itemTarget) };
      });
    });
    return results;
  }

  async #find(collection: string, query?: Query, options?: CallOptions): Promise<ListPage> {
    const target = this.#target(collection);
    const plan = planFind(collection, query, this.#indexes.list(collection));
    const signal = this.#signalOf(options, target);
    try {
      const page = await this._find(
        collection,
        plan.request,
        (work) => this.#call(target, work, signal),
        signal,
      );
      const result = findResult(plan, page, this.provider);
      // After the cursor was taken from the page as read: an expired last document still
      // marks where the next page starts.
      result.documents = this.#live(result.documents);
      return result;
    } catch (error) {
      throw this.asDatabaseError(error, target);
    }
  }

  async #ensureIndex(
    collection: string,
    index: IndexDefinition,
    options?: CallOptions,
  ): Promise<void> {
    const target = this.#target(collection);
    const fields = readIndexFields(index, collection);
    const signal = this.#signalOf(options, target);
    try {
      await this.#indexes.ensure(collection, fields, () =>
        this.#call(target, (s) => this._ensureIndex(collection, fields, s), signal),
      );
    } catch (error) {
      throw this.asDatabaseError(error, target);
    }
  }

  /**
   * One page of a query: up to `request.limit` documents that match `request.where` and
   * come after `request.after`, in `request.order`, and whether more follow. Pass each
   * backend request through `bounded`, which applies the time limit to it and hands it its
   * signal (`callerSignal` is the caller's own, when it gave one). The default
   * reads the whole collection with `_listPage` and filters and sorts it with core's
   * shared rules: correct everywhere, fast nowhere. Override it to push the query to the
   * backend, finishing in memory with the same shared rules what the backend cannot do.
   */
  protected _find(
    collection: string,
    request: FindRequest,
    bounded: <T>(work: (signal: AbortSignal) => Promise<T>) => Promise<T>,
    _callerSignal?: AbortSignal,
  ): Promise<BackendFindPage> {
    return findByScan(
      (after) =>
        bounded((signal) => this._listPage(collection, this.listAllPageSize, after, signal)),
      request,
    );
  }

  /**
   * Makes the backend index of these fields (a valid, distinct list of paths), named after
   * collection and fields so that a second process making it at the same time is fine.
   * The default makes nothing: the fallback `_find` has no use for indexes.
   */
  protected async _ensureIndex(
    _collection: string,
    _fields: readonly string[],
    _signal: AbortSignal,
  ): Promise<void> {}

  async #purgeExpired(collection: string, options?: CallOptions): Promise<number> {
    const target = this.#target(collection);
    const signal = this.#signalOf(options, target);
    if (this.closed) throw this.#closedError(target);
    if (this.capabilities.expiry !== true) return 0;
    try {
      return await this._purgeExpired(collection, this.now(), (work) =>
        this.#call(target, work, signal),
      );
    } catch (error) {
      throw this.asDatabaseError(error, target);
    }
  }

  async #ping(options?: CallOptions): Promise<void> {
    const signal = this.#signalOf(options, {});
    try {
      await this.#call({}, (s) => this._ping(s), signal);
    } catch (error) {
      throw this.asDatabaseError(error, {});
    }
  }

  close(): Promise<void> {
    if (this.#closing === undefined) {
      // Calls still running end now with 503; their backend requests are cancelled.
      this.#signals.abortAll(this.#closedError({}));
      this.#telemetry?.close();
      this.#closing = this._close().catch((error: unknown) => {
        throw this.asDatabaseError(error, {});
      });
    }
    return this.#closing;
  }

  /** True once `close` was called. */
  protected get closed(): boolean {
    return this.#closing !== undefined;
  }

  #target(collection: string): ErrorTarget {
    assertCollectionName(collection);
    return { collection };
  }

  #documentTarget(collection: string, id: string): ErrorTarget {
    assertCollectionName(collection);
    assertDocumentId(id, collection);
    return { collection, id };
  }

  /** The caller's signal from options that carry nothing else. */
  #signalOf(options: CallOptions | undefined, target: ErrorTarget): AbortSignal | undefined {
    return options === undefined
      ? undefined
      : readSignal(readOptions(options, target).signal, target);
  }

  /**
   * The signal of an in-process call, which runs at once without a deadline; throws 503
   * when the service is closed or the caller has aborted already. The single-document
   * calls use it directly, sparing the closure of {@link #call}.
   */
  #inProcessSignal(target: ErrorTarget, caller: AbortSignal | undefined): AbortSignal {
    if (this.closed) throw this.#closedError(target);
    if (caller?.aborted) throw this.#abortError('caller', caller.reason, target);
    return caller ?? NEVER_ABORTED;
  }

  #closedError(target: ErrorTarget): UnavailableError {
    return new UnavailableError(`The ${this.provider} database service is closed`, target);
  }

  /**
   * Runs one backend call under its signal: the call rejects with 503 as soon as its
   * deadline passes or its caller aborts, whatever the backend is still doing, and the
   * adapter's work sees the signal abort. Its failures are not mapped yet: every caller
   * awaits it under `asDatabaseError`, which saves in-process calls a promise.
   */
  /** The `expiresAt` of a save's options or a saveMany item, checked; 400 where unsupported. */
  #expiresAt(options: { expiresAt?: unknown }, target: ErrorTarget): number | undefined {
    const expiresAt = readExpiresAt(options.expiresAt, target);
    if (expiresAt !== undefined && this.capabilities.expiry !== true) {
      throw new ValidationError(
        `The ${this.provider} adapter does not store expiring documents: expiresAt is not supported`,
        target,
      );
    }
    return expiresAt;
  }

  #expired(doc: StoredDocument): boolean {
    return doc._expiresAt !== undefined && isExpired(doc, this.now());
  }

  /** The documents that have not expired; the same array when none has (the common case). */
  #live(documents: StoredDocument[]): StoredDocument[] {
    if (!documents.some((doc) => doc._expiresAt !== undefined)) return documents;
    const now = this.now();
    return documents.filter((doc) => !isExpired(doc, now));
  }

  #telemetryOf(): ServiceTelemetry {
    this.#telemetry ??= new ServiceTelemetry(this.provider);
    return this.#telemetry;
  }

  /** The telemetry, when this call is to be recorded. */
  #recordingTelemetry(): ServiceTelemetry | undefined {
    const telemetry = this.#telemetryOf();
    return telemetry.recording ? telemetry : undefined;
  }

  #call<T>(
    target: ErrorTarget,
    work: (signal: AbortSignal) => Promise<T>,
    caller: AbortSignal | undefined,
  ): Promise<T> {
    if (this.inProcess) return work(this.#inProcessSignal(target, caller));
    if (this.closed) return Promise.reject(this.#closedError(target));
    if (caller?.aborted) return Promise.reject(this.#abortError('caller', caller.reason, target));
    noteRequest();
    return this.#signals.run(work, caller, (cause, reason) =>
      this.#abortError(cause, reason, target),
    );
  }

  #abortError(cause: AbortCause, reason: unknown, target: ErrorTarget): DatabaseError {
    if (isDatabaseError(reason)) return reason;
    return cause === 'deadline'
      ? new UnavailableError(
          `The ${this.provider} backend did not answer within ${this.timeoutMs} ms`,
          target,
        )
      : new UnavailableError(`The call to the ${this.provider} backend was cancelled`, {
          ...target,
          cause: reason,
        });
  }

  /**
   * Turns anything a backend call threw into a {@link DatabaseError}: database errors pass
   * through, then {@link _translateError} has its say, then the shared mapping applies.
   * For adapters that catch per-item errors inside their own batch calls.
   */
  protected asDatabaseError(error: unknown, target: ErrorTarget): DatabaseError {
    if (isDatabaseError(error)) return error;
    return this._translateError(error, target) ?? toDatabaseError(error, target, this.provider);
  }

  /** A batch item's outcome that is no success: errors are mapped, never passed through. */
  #itemError(outcome: unknown, target: ErrorTarget): DatabaseError {
    if (outcome instanceof Error || isDatabaseError(outcome))
      return this.asDatabaseError(outcome, target);
    return new InternalError(
      `The ${this.provider} adapter answered a batch item with ${describe(outcome)}, which is no outcome`,
      target,
    );
  }

  /** {@link #call} for a batch call, which must answer one outcome per item. */
  async #callBatch<T>(
    target: ErrorTarget,
    items: number,
    work: (signal: AbortSignal) => Promise<T[]>,
    caller: AbortSignal | undefined,
  ): Promise<T[]> {
    let outcomes: T[];
    try {
      outcomes = await this.#call(target, work, caller);
    } catch (error) {
      throw this.asDatabaseError(error, target);
    }
    if (!Array.isArray(outcomes) || outcomes.length !== items) {
      throw new InternalError(
        `The ${this.provider} adapter answered a batch of ${items} items with ${Array.isArray(outcomes) ? outcomes.length : 'no'} results`,
        target,
      );
    }
    return outcomes;
  }

  /** Runs `work` on each chunk, at most {@link batchConcurrency} at a time, results in order. */
  async #inChunks<T, R>(chunks: readonly T[][], work: (chunk: T[]) => Promise<R>): Promise<R[]> {
    const results: R[] = new Array(chunks.length);
    let next = 0;
    await this.#eachChunk(
      () => (next < chunks.length ? next++ : undefined),
      async (index) => {
        results[index] = await work(chunks[index] as T[]);
      },
    );
    return results;
  }

  /**
   * Runs `work` on every chunk `nextChunk` hands out, at most {@link batchConcurrency} at a
   * time. After a failure no further chunk starts; the ones under way finish first.
   */
  async #eachChunk<T>(
    nextChunk: () => T | undefined,
    work: (chunk: T) => Promise<void>,
  ): Promise<void> {
    let failed = false;
    const worker = async () => {
      try {
        while (!failed) {
          const chunk = nextChunk();
          if (chunk === undefined) return;
          await work(chunk);
        }
      } catch (error) {
        failed = true;
        throw error;
      }
    };
    const settled = await Promise.allSettled(Array.from({ length: this.batchConcurrency }, worker));
    const rejected = settled.find((outcome) => outcome.status === 'rejected');
    if (rejected) throw rejected.reason;
  }
}

/** The signal of in-process calls without a caller's signal: nothing can abort them. */
const NEVER_ABORTED = new AbortController().signal;

/** The answer of every successful in-process delete: a settled promise can be shared. */
const DONE: Promise<void> = Promise.resolve();

function label(target: ErrorTarget): string {
  return `${target.collection}/${JSON.stringify(target.id)}`;
}

function saveConflict(target: ErrorTarget, ifRev: string | null | undefined): ConflictError {
  const reason =
    ifRev === null
      ? 'it already exists (create-only save)'
      : ifRev === undefined
        ? 'the backend refused the write as a conflict'
        : `its revision is not ${JSON.stringify(ifRev)}`;
  return new ConflictError(`Document ${label(target)} was not saved: ${reason}`, target);
}

function deleteFailure(outcome: 'missing' | 'conflict', target: ErrorTarget): DatabaseError {
  return outcome === 'missing'
    ? new NotFoundError(`Document ${label(target)} not found`, target)
    : new ConflictError(
        `Document ${label(target)} was not deleted: its revision differs from ifRev`,
        target,
      );
}

/** The collection's name for telemetry: only a valid one (an invalid call fails with 400). */
function nameOf(collection: unknown): string | undefined {
  return isCollectionName(collection) ? collection : undefined;
}

function lengthOf(items: unknown): number | undefined {
  return Array.isArray(items) ? items.length : undefined;
}

function pageSize(page: ListPage): number {
  return page.documents.length;
}
