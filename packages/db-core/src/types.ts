import type { Capabilities } from './capabilities';
import type { DatabaseError } from './errors';
import type { IndexDefinition, Query } from './query/types';

/** A JSON value as stored: what `JSON.parse` can produce. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;

/** A JSON object: the shape of every stored document body. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** A document as read back: its body plus the id it is stored under and its revision. */
export type StoredDocument = JsonObject & {
  _id: string;
  _rev: string;
  /** When the document expires (an ISO-8601 UTC time); absent when it never does. */
  _expiresAt?: string;
};

/**
 * When a document expires: an ISO-8601 time with a zone, a `Date` or epoch milliseconds.
 * From that instant on, by the service's clock, it does not exist for any call.
 */
export type ExpiresAt = string | Date | number;

/** Options every call takes. */
export interface CallOptions {
  /**
   * Cancels the call: once it aborts, the call rejects with 503 and its backend requests,
   * retries and waits stop. The call's own deadline (`timeoutMs`) applies as well.
   */
  signal?: AbortSignal;
}

/** Options of {@link DatabaseService.save}. */
export interface SaveOptions extends CallOptions {
  /**
   * Optimistic concurrency: a revision string writes only over exactly that revision;
   * `null` creates only (fails when the document exists); absent means upsert.
   */
  ifRev?: string | null;
  /** When the document expires; a save without it keeps the document until deleted. */
  expiresAt?: ExpiresAt;
}

/** Options of {@link DatabaseService.delete}. */
export interface DeleteOptions extends CallOptions {
  /** Delete only when the stored revision is exactly this one. */
  ifRev?: string;
}

/** Options of {@link DatabaseService.list}. */
export interface ListOptions extends CallOptions {
  /** Page size, 1 to 1000; 100 when absent. */
  limit?: number;
  /** The `nextCursor` of the previous page; absent or `null` for the first page. */
  cursor?: string | null;
}

/** One page of {@link DatabaseService.list}. */
export interface ListPage {
  documents: StoredDocument[];
  /** Pass this to the next call; `null` when the walk is complete. */
  nextCursor: string | null;
}

/** The id and new revision of a successful write. */
export interface WriteResult {
  id: string;
  rev: string;
}

/** One item of {@link DatabaseService.saveMany}. */
export interface SaveManyItem {
  id: string;
  doc: object;
  /** Same meaning as {@link SaveOptions.ifRev}. */
  ifRev?: string | null;
  /** Same meaning as {@link SaveOptions.expiresAt}. */
  expiresAt?: ExpiresAt;
}

/** An item of a batch that failed, with the error it would have thrown on its own. */
export interface ItemFailure {
  id: string;
  error: DatabaseError;
}

/** Per-item outcome of {@link DatabaseService.saveMany}, aligned with the input. */
export type SaveManyResult = WriteResult | ItemFailure;

/** Per-item outcome of {@link DatabaseService.deleteMany}, aligned with the input. */
export type DeleteManyResult = { id: string } | ItemFailure;

/**
 * The storage interface every Gofannon DB adapter implements. Every method validates its
 * arguments and rejects with a {@link DatabaseError}; the package README describes the
 * contract method by method.
 */
export interface DatabaseService {
  /** The provider name, such as `"memory"` or `"couchdb"`. */
  readonly provider: string;
  /** What this adapter supports and the limits it enforces. */
  readonly capabilities: Capabilities;
  /** Reads one document; rejects with 404 when it does not exist. */
  get(collection: string, id: string, options?: CallOptions): Promise<StoredDocument>;
  /** Creates or replaces one document and returns its new revision. */
  save(collection: string, id: string, doc: object, options?: SaveOptions): Promise<WriteResult>;
  /** Deletes one document; rejects with 404 when it does not exist. */
  delete(collection: string, id: string, options?: DeleteOptions): Promise<void>;
  /** Every document of a collection (`[]` when the collection is unknown); order unspecified. */
  listAll(collection: string, options?: CallOptions): Promise<StoredDocument[]>;
  /** One page of a collection, to be followed with `nextCursor`. */
  list(collection: string, options?: ListOptions): Promise<ListPage>;
  /** Reads many documents; the result is aligned with `ids`, `null` where one is missing. */
  getMany(
    collection: string,
    ids: readonly string[],
    options?: CallOptions,
  ): Promise<Array<StoredDocument | null>>;
  /** Writes many documents with the backend's batch operations; reports each item. */
  saveMany(
    collection: string,
    items: readonly SaveManyItem[],
    options?: CallOptions,
  ): Promise<SaveManyResult[]>;
  /** Deletes many documents with the backend's batch operations; reports each item. */
  deleteMany(
    collection: string,
    ids: readonly string[],
    options?: CallOptions,
  ): Promise<DeleteManyResult[]>;
  /**
   * One page of the documents that match `query`, in its order, to be followed with
   * `nextCursor`; an unknown collection gives an empty page. The package README gives the
   * exact semantics.
   */
  find(collection: string, query?: Query, options?: CallOptions): Promise<ListPage>;
  /** Makes an index that lets queries of these fields run without a scan. Idempotent. */
  ensureIndex(collection: string, index: IndexDefinition, options?: CallOptions): Promise<void>;
  /**
   * Deletes the collection's expired documents, in bounded batches, each only at the
   * revision that was seen expired (a document saved again meanwhile stays). Safe to run
   * from several processes at once. Resolves with how many it deleted.
   */
  purgeExpired(collection: string, options?: CallOptions): Promise<number>;
  /** Resolves when the backend answers; rejects with 503 when it cannot be reached. */
  ping(options?: CallOptions): Promise<void>;
  /** Releases connections. Idempotent; later calls reject with 503. */
  close(): Promise<void>;
}
