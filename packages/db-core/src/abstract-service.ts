import { toDatabaseError, withDeadline } from './backend-errors';
import { preparedChunks, toChunks } from './batching';
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
import { findByScan } from './query/fallback';
import { findResult, planFind } from './query/find';
import { IndexRegistry } from './query/index-registry';
import type { BackendFindPage, FindRequest, IndexDefinition, Query } from './query/types';
import { readIndexFields } from './query/validate';
import type {
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
import { assertCollectionName, assertDocumentId, describe } from './validation/names';
import {
  assertArray,
  readDeleteIfRev,
  readOptions,
  readPageSize,
  readSaveIfRev,
} from './validation/options';

/** The default bound on every backend call, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** Settings every adapter accepts. */
export interface ServiceOptions {
  /** Bound on each backend call in milliseconds (default 10 000); past it the call fails with 503. */
  timeoutMs?: number;
}

/** What a backend did with one delete. */
export type DeleteOutcome = 'deleted' | 'missing' | 'conflict';

/** A saveMany item whose id and ifRev are valid; its document is checked with its chunk. */
interface AcceptedWrite {
  index: number;
  id: string;
  ifRev: string | null | undefined;
  input: unknown;
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
  /** How many items one backend batch call may carry; override with the backend's limits. */
  protected readonly batchSizes: BatchSizes = { get: 1000, save: 1000, delete: 1000 };
  /** How many batch chunks run at the same time. */
  protected readonly batchConcurrency: number = 4;

  #closing: Promise<void> | undefined;
  readonly #indexes = new IndexRegistry();

  constructor(options: ServiceOptions = {}) {
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
      throw new ValidationError(`timeoutMs must be a positive integer, got ${describe(timeoutMs)}`);
    }
    this.timeoutMs = timeoutMs;
  }

  /** Reads one document, or `null` when it does not exist. */
  protected abstract _get(collection: string, id: string): Promise<StoredDocument | null>;
  /**
   * Writes one document and returns its new revision, or `null` when `ifRev` does not hold:
   * a string must equal the stored revision, `null` means the document must not exist,
   * `undefined` means write whatever is stored.
   */
  protected abstract _save(
    collection: string,
    id: string,
    doc: PreparedDocument,
    ifRev: string | null | undefined,
  ): Promise<string | null>;
  /** Deletes one document, only if its revision equals `ifRev` when one is given. */
  protected abstract _delete(
    collection: string,
    id: string,
    ifRev: string | undefined,
  ): Promise<DeleteOutcome>;
  /** Up to `limit` documents after position `after` (`null`: from the start), in a stable order. */
  protected abstract _listPage(
    collection: string,
    limit: number,
    after: string | null,
  ): Promise<BackendPage>;
  /** Resolves when the backend answers. */
  protected abstract _ping(): Promise<void>;

  /** Releases the backend's resources. */
  protected async _close(): Promise<void> {}

  /** Reads one chunk of ids; override with the backend's batch read. */
  protected _getMany(
    collection: string,
    ids: readonly string[],
  ): Promise<Array<StoredDocument | null>> {
    return Promise.all(ids.map((id) => this._get(collection, id)));
  }

  /** Writes one chunk; override with the backend's batch write. Report each item's outcome. */
  protected _saveMany(
    collection: string,
    writes: readonly PreparedWrite[],
  ): Promise<Array<string | null | DatabaseError>> {
    return Promise.all(
      writes.map((write) =>
        this._save(collection, write.id, write.doc, write.ifRev).catch((error: unknown) =>
          this.asDatabaseError(error, { collection, id: write.id }),
        ),
      ),
    );
  }

  /** Deletes one chunk; override with the backend's batch delete. Report each item's outcome. */
  protected _deleteMany(
    collection: string,
    ids: readonly string[],
  ): Promise<Array<DeleteOutcome | DatabaseError>> {
    return Promise.all(
      ids.map((id) =>
        this._delete(collection, id, undefined).catch((error: unknown) =>
          this.asDatabaseError(error, { collection, id }),
        ),
      ),
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

  async get(collection: string, id: string): Promise<StoredDocument> {
    const target = this.#documentTarget(collection, id);
    const doc = await this.#call(target, () => this._get(collection, id));
    if (!doc) throw new NotFoundError(`Document ${label(target)} not found`, target);
    return doc;
  }

  async save(
    collection: string,
    id: string,
    doc: object,
    options?: SaveOptions,
  ): Promise<WriteResult> {
    const target = this.#documentTarget(collection, id);
    const ifRev = readSaveIfRev(readOptions(options, target).ifRev, target);
    const prepared = prepareDocument(doc, this.capabilities, target);
    const rev = await this.#call(target, () => this._save(collection, id, prepared, ifRev));
    if (rev === null) throw saveConflict(target, ifRev);
    return { id, rev };
  }

  async delete(collection: string, id: string, options?: DeleteOptions): Promise<void> {
    const target = this.#documentTarget(collection, id);
    const ifRev = readDeleteIfRev(readOptions(options, target).ifRev, target);
    const outcome = await this.#call(target, () => this._delete(collection, id, ifRev));
    if (outcome !== 'deleted') throw deleteFailure(outcome, target);
  }

  async listAll(collection: string): Promise<StoredDocument[]> {
    const target = this.#target(collection);
    try {
      return await this._listAll(collection, (work) => this.#call(target, work));
    } catch (error) {
      throw this.asDatabaseError(error, target);
    }
  }

  /**
   * Reads a whole collection, passing each backend request through `bounded`, which
   * applies the time limit to that request. The default follows `_listPage`,
   * {@link listAllPageSize} at a time; override it where the backend reads faster
   * another way, such as several scans in parallel.
   */
  protected async _listAll(
    collection: string,
    bounded: <T>(work: () => Promise<T>) => Promise<T>,
  ): Promise<StoredDocument[]> {
    const all: StoredDocument[] = [];
    let after: string | null = null;
    do {
      const position: string | null = after;
      const page: BackendPage = await bounded(() =>
        this._listPage(collection, this.listAllPageSize, position),
      );
      for (const doc of page.documents) all.push(doc);
      after = page.next;
    } while (after !== null);
    return all;
  }

  async list(collection: string, options?: ListOptions): Promise<ListPage> {
    const target = this.#target(collection);
    const { limit: rawLimit, cursor } = readOptions(options, target);
    const limit = readPageSize(rawLimit, target);
    const after = cursor === undefined || cursor === null ? null : decodeCursor(collection, cursor);
    const page = await this.#call(target, () => this._listPage(collection, limit, after));
    return {
      documents: page.documents,
      nextCursor: page.next === null ? null : encodeCursor(collection, page.next),
    };
  }

  async getMany(collection: string, ids: readonly string[]): Promise<Array<StoredDocument | null>> {
    const target = this.#target(collection);
    assertArray(ids, 'ids', target);
    for (const id of ids) assertDocumentId(id, collection);
    const chunks = await this.#inChunks(toChunks(ids, this.batchSizes.get), (chunk) =>
      this.#callBatch(target, chunk.length, () => this._getMany(collection, chunk)),
    );
    return chunks.flat();
  }

  async saveMany(collection: string, items: readonly SaveManyItem[]): Promise<SaveManyResult[]> {
    const target = this.#target(collection);
    assertArray(items, 'items', target);
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
        accepted.push({ index, id, ifRev, input: item.doc });
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
      ({ index, id, ifRev, input }): IndexedWrite | undefined => {
        try {
          return {
            index,
            id,
            ifRev,
            doc: prepareDocument(input, this.capabilities, { collection, id }),
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
      const outcomes = await this.#callBatch(target, chunk.length, () =>
        this._saveMany(collection, chunk),
      ).catch((error: DatabaseError) => chunk.map(() => error));
      chunk.forEach((write, i) => {
        const outcome = outcomes[i] as string | null | DatabaseError;
        const itemTarget = { collection, id: write.id };
        if (typeof outcome === 'string') results[write.index] = { id: write.id, rev: outcome };
        else if (outcome === null) {
          results[write.index] = { id: write.id, error: saveConflict(itemTarget, write.ifRev) };
        } else results[write.index] = { id: write.id, error: outcome };
      });
    });
    return results;
  }

  async deleteMany(collection: string, ids: readonly string[]): Promise<DeleteManyResult[]> {
    const target = this.#target(collection);
    assertArray(ids, 'ids', target);
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
      const outcomes = await this.#callBatch(target, chunk.length, () =>
        this._deleteMany(
          collection,
          chunk.map((item) => item.id),
        ),
      ).catch((error: DatabaseError) => chunk.map(() => error));
      chunk.forEach(({ id, index }, i) => {
        const outcome = outcomes[i] as DeleteOutcome | DatabaseError;
        if (outcome === 'deleted') results[index] = { id };
        else if (typeof outcome === 'string') {
          results[index] = { id, error: deleteFailure(outcome, { collection, id }) };
        } else results[index] = { id, error: outcome };
      });
    });
    return results;
  }

  async find(collection: string, query?: Query): Promise<ListPage> {
    const target = this.#target(collection);
    const plan = planFind(collection, query, this.#indexes.list(collection));
    try {
      const page = await this._find(collection, plan.request, (work) => this.#call(target, work));
      return findResult(plan, page, this.provider);
    } catch (error) {
      throw this.asDatabaseError(error, target);
    }
  }

  async ensureIndex(collection: string, index: IndexDefinition): Promise<void> {
    const target = this.#target(collection);
    const fields = readIndexFields(index, collection);
    await this.#indexes.ensure(collection, fields, () =>
      this.#call(target, () => this._ensureIndex(collection, fields)),
    );
  }

  /**
   * One page of a query: up to `request.limit` documents that match `request.where` and
   * come after `request.after`, in `request.order`, and whether more follow. Pass each
   * backend request through `bounded`, which applies the time limit to it. The default
   * reads the whole collection with `_listPage` and filters and sorts it with core's
   * shared rules: correct everywhere, fast nowhere. Override it to push the query to the
   * backend, finishing in memory with the same shared rules what the backend cannot do.
   */
  protected _find(
    collection: string,
    request: FindRequest,
    bounded: <T>(work: () => Promise<T>) => Promise<T>,
  ): Promise<BackendFindPage> {
    return findByScan(
      (after) => bounded(() => this._listPage(collection, this.listAllPageSize, after)),
      request,
    );
  }

  /**
   * Makes the backend index of these fields (a valid, distinct list of paths), named after
   * collection and fields so that a second process making it at the same time is fine.
   * The default makes nothing: the fallback `_find` has no use for indexes.
   */
  protected async _ensureIndex(_collection: string, _fields: readonly string[]): Promise<void> {}

  async ping(): Promise<void> {
    await this.#call({}, () => this._ping());
  }

  close(): Promise<void> {
    this.#closing ??= this._close().catch((error: unknown) => {
      throw this.asDatabaseError(error, {});
    });
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

  async #call<T>(target: ErrorTarget, work: () => Promise<T>): Promise<T> {
    if (this.closed)
      throw new UnavailableError(`The ${this.provider} database service is closed`, target);
    try {
      return await withDeadline(
        work(),
        this.timeoutMs,
        () =>
          new UnavailableError(
            `The ${this.provider} backend did not answer within ${this.timeoutMs} ms`,
            target,
          ),
      );
    } catch (error) {
      throw this.asDatabaseError(error, target);
    }
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

  /** {@link #call} for a batch call, which must answer one outcome per item. */
  async #callBatch<T>(target: ErrorTarget, items: number, work: () => Promise<T[]>): Promise<T[]> {
    const outcomes = await this.#call(target, work);
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
