import {
  AbstractDatabaseService,
  type BackendFindPage,
  type BackendPage,
  type Capabilities,
  type DeleteOutcome,
  defineCapabilities,
  type FindRequest,
  type JsonObject,
  matchesWhere,
  type PreparedDocument,
  type ServiceOptions,
  type StoredDocument,
  toStoredDocument,
  ValidationError,
} from '@gofannon/db-core';
import { copyJson, idPosition, nextRevision } from '@gofannon/db-core/adapter';
import { pageFromIndex } from './index-query';
import { MemoryIndex } from './memory-index';
import { SortedKeys } from './sorted-keys';

/** Options of {@link MemoryDatabaseService}. */
export interface MemoryOptions extends ServiceOptions {
  /** Largest document accepted, in bytes of JSON (default 8 MiB). */
  maxDocumentBytes?: number;
}

export interface Entry {
  json: string;
  rev: string;
  /**
   * The body parsed on its first read and kept for the reads after it, each of which gets a
   * copy ({@link copyJson}); never handed out itself. A save makes a new entry.
   */
  parsed?: JsonObject;
  /** When it expires, epoch ms; absent when it never does. */
  expiresAt?: number;
}

export interface MemoryCollection {
  entries: Map<string, Entry>;
  keys: SortedKeys;
  /**
   * The ids of the entries that expire, with their expiry: what a purge looks at, so it
   * never walks documents that live for ever.
   */
  expiring: Map<string, number>;
}

/**
 * Keeps every collection in process memory. Documents are stored as JSON text, parsed on
 * their first read; every read gets a fresh deep copy, so nothing is shared with callers. Each operation runs
 * without awaiting in between, which makes conditional writes and deletes atomic.
 */
export class MemoryDatabaseService extends AbstractDatabaseService {
  readonly provider = 'memory';
  readonly capabilities: Capabilities;
  // Every call settles at once: no deadline timer or signal of its own is needed. Typed
  // boolean so that a subclass that does wait (a simulated remote server) can turn it off.
  protected override readonly inProcess: boolean = true;

  protected readonly collections = new Map<string, MemoryCollection>();
  /**
   * The indexes `ensureIndex` made, per collection and then by their fields' JSON. Kept
   * apart from the collections, so that making an index creates no collection.
   */
  protected readonly indexes = new Map<string, Map<string, MemoryIndex>>();
  #documentsRead = 0;

  constructor(options: MemoryOptions = {}) {
    super(options);
    const maxDocumentBytes = options.maxDocumentBytes ?? 8 * 1024 * 1024;
    if (!Number.isInteger(maxDocumentBytes) || maxDocumentBytes < 1024) {
      throw new ValidationError(
        `maxDocumentBytes must be a whole number of at least 1024, got ${String(maxDocumentBytes)}`,
      );
    }
    this.capabilities = defineCapabilities({
      maxDocumentBytes,
      maxNestingDepth: 100,
      atomicBatches: false,
      expiry: true,
    });
  }

  /**
   * How many stored documents this service has read (copied out) so far, by any call: shows
   * that a query an index serves reads its page, not the collection.
   */
  get documentsRead(): number {
    return this.#documentsRead;
  }

  protected async _get(collection: string, id: string): Promise<StoredDocument | null> {
    const entry = this.collections.get(collection)?.entries.get(id);
    return entry ? this.#read(entry, id) : null;
  }

  protected async _save(
    collection: string,
    id: string,
    doc: PreparedDocument,
    ifRev: string | null | undefined,
  ): Promise<string | null> {
    const existing = this.collections.get(collection)?.entries.get(id);
    // An expired document does not exist for the condition, but its revision is continued.
    const live = existing !== undefined && !this.#expired(existing) ? existing : undefined;
    if (ifRev === null ? live !== undefined : ifRev !== undefined && live?.rev !== ifRev) {
      return null;
    }
    const store = this.#collectionForWrite(collection);
    const rev = nextRevision(existing?.rev);
    const expiresAt = doc.expiresAt;
    store.entries.set(
      id,
      expiresAt === undefined ? { json: doc.json, rev } : { json: doc.json, rev, expiresAt },
    );
    if (expiresAt === undefined) {
      if (existing?.expiresAt !== undefined) store.expiring.delete(id);
    } else store.expiring.set(id, expiresAt);
    if (!existing) store.keys.add(id);
    const indexes = this.indexes.get(collection);
    if (indexes !== undefined) for (const index of indexes.values()) index.put(id, doc.body);
    return rev;
  }

  protected _delete(
    collection: string,
    id: string,
    ifRev: string | undefined,
  ): DeleteOutcome | Promise<DeleteOutcome> {
    // Answered at once, not as a promise: the base class then has nothing to await. Typed
    // as either, so that a subclass that does wait (a simulated remote server) may.
    const store = this.collections.get(collection);
    if (store === undefined) return 'missing';
    if (ifRev !== undefined || store.expiring.size > 0) {
      const existing = store.entries.get(id);
      if (existing === undefined || this.#expired(existing)) return 'missing';
      if (ifRev !== undefined && existing.rev !== ifRev) return 'conflict';
    }
    // One lookup for the common unconditional delete: a Map of many ids makes each count.
    if (!store.entries.delete(id)) return 'missing';
    this.#forget(store, collection, id);
    return 'deleted';
  }

  protected override async _deleteExpired(
    collection: string,
    id: string,
    rev: string,
  ): Promise<boolean> {
    const store = this.collections.get(collection);
    if (store?.entries.get(id)?.rev !== rev) return false;
    store.entries.delete(id);
    this.#forget(store, collection, id);
    return true;
  }

  /** Reads only the entries that expire, never the whole collection. */
  protected override async _purgeExpired(
    collection: string,
    now: number,
    _bounded?: <T>(work: (signal: AbortSignal) => Promise<T>) => Promise<T>,
  ): Promise<number> {
    const store = this.collections.get(collection);
    if (store === undefined) return 0;
    let purged = 0;
    for (const [id, expiresAt] of store.expiring) {
      if (expiresAt > now) continue;
      store.entries.delete(id);
      this.#forget(store, collection, id);
      purged += 1;
    }
    return purged;
  }

  /** Drops a deleted entry from the collection's sorted keys, expiry list and indexes. */
  #forget(store: MemoryCollection, collection: string, id: string): void {
    store.keys.delete();
    // Each lookup skipped when there is nothing to find: a delete is a microsecond in all.
    if (store.expiring.size > 0) store.expiring.delete(id);
    if (this.indexes.size === 0) return;
    const indexes = this.indexes.get(collection);
    if (indexes !== undefined) for (const index of indexes.values()) index.remove(id);
  }

  #expired(entry: Entry): boolean {
    return entry.expiresAt !== undefined && entry.expiresAt <= this.now();
  }

  protected async _listPage(
    collection: string,
    limit: number,
    after: string | null,
  ): Promise<BackendPage> {
    if (after !== null) idPosition(after, collection);
    const store = this.collections.get(collection);
    if (!store) return { documents: [], next: null };
    const ids = store.keys.slice(after, limit);
    const documents = ids.map((id) => this.#read(store.entries.get(id) as Entry, id));
    const last = ids.at(-1);
    return {
      documents,
      next: ids.length === limit && last !== undefined && store.keys.hasAfter(last) ? last : null,
    };
  }

  /**
   * Queries an index serves read that index; those in id order walk the sorted ids and stop
   * at a full page (a plain listing reads its page, not the collection); the others go to
   * core's scan.
   */
  protected override _find(
    collection: string,
    request: FindRequest,
    bounded: <T>(work: (signal: AbortSignal) => Promise<T>) => Promise<T>,
  ): Promise<BackendFindPage> {
    const index = request.index && this.indexes.get(collection)?.get(JSON.stringify(request.index));
    if (!index) {
      if (request.order.field === '_id') {
        return bounded(async () => this.#findInIdOrder(collection, request));
      }
      return super._find(collection, request, bounded);
    }
    return bounded(async () => {
      const { ids, more } = pageFromIndex(index, request);
      const store = this.collections.get(collection);
      const documents = ids.map((id) => this.#read(store?.entries.get(id) as Entry, id));
      return { documents, more };
    });
  }

  #findInIdOrder(collection: string, request: FindRequest): BackendFindPage {
    const store = this.collections.get(collection);
    const documents: StoredDocument[] = [];
    if (store === undefined) return { documents, more: false };
    const { where, order, after, limit } = request;
    for (const id of store.keys.walk(after?.id ?? null, order.direction)) {
      const doc = this.#read(store.entries.get(id) as Entry, id);
      if (!matchesWhere(doc, where)) continue;
      if (documents.length === limit) return { documents, more: true };
      documents.push(doc);
    }
    return { documents, more: false };
  }

  /** Builds the index from the documents stored so far; writes keep it up to date. */
  protected override async _ensureIndex(
    collection: string,
    fields: readonly string[],
  ): Promise<void> {
    const indexes = this.indexes.get(collection) ?? new Map<string, MemoryIndex>();
    this.indexes.set(collection, indexes);
    const key = JSON.stringify(fields);
    if (indexes.has(key)) return;
    const index = new MemoryIndex(fields);
    for (const [id, entry] of this.collections.get(collection)?.entries ?? []) {
      index.put(id, JSON.parse(entry.json) as JsonObject);
    }
    indexes.set(key, index);
  }

  protected async _ping(): Promise<void> {}

  protected override async _close(): Promise<void> {
    this.collections.clear();
    this.indexes.clear();
  }

  #read(entry: Entry, id: string): StoredDocument {
    this.#documentsRead += 1;
    entry.parsed ??= JSON.parse(entry.json) as JsonObject;
    return toStoredDocument(copyJson(entry.parsed), id, entry.rev);
  }

  #collectionForWrite(collection: string): MemoryCollection {
    let store = this.collections.get(collection);
    if (!store) {
      store = newCollection();
      this.collections.set(collection, store);
    }
    return store;
  }
}

/** An empty collection: its entries, and their ids in order, checked against the entries. */
export function newCollection(): MemoryCollection {
  const entries = new Map<string, Entry>();
  return { entries, keys: new SortedKeys((key) => entries.has(key)), expiring: new Map() };
}
