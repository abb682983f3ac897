import {
  AbstractDatabaseService,
  assertDocumentId,
  type BackendPage,
  type Capabilities,
  type DeleteOutcome,
  defineCapabilities,
  type JsonObject,
  type PreparedDocument,
  type ServiceOptions,
  type StoredDocument,
  toStoredDocument,
  ValidationError,
} from '@gofannon/db-core';
import { nextRevision } from '@gofannon/db-core/adapter';
import { SortedKeys } from './sorted-keys';

/** Options of {@link MemoryDatabaseService}. */
export interface MemoryOptions extends ServiceOptions {
  /** Largest document accepted, in bytes of JSON (default 8 MiB). */
  maxDocumentBytes?: number;
}

export interface Entry {
  json: string;
  rev: string;
}

export interface MemoryCollection {
  entries: Map<string, Entry>;
  keys: SortedKeys;
}

/**
 * Keeps every collection in process memory. Documents are stored as JSON text, so every
 * read parses a fresh object and nothing is shared with callers. Each operation runs
 * without awaiting in between, which makes conditional writes and deletes atomic.
 */
export class MemoryDatabaseService extends AbstractDatabaseService {
  readonly provider = 'memory';
  readonly capabilities: Capabilities;
  // Every call settles at once: no deadline timer or signal of its own is needed.
  protected override readonly inProcess = true;

  protected readonly collections = new Map<string, MemoryCollection>();

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
    });
  }

  protected async _get(collection: string, id: string): Promise<StoredDocument | null> {
    const entry = this.collections.get(collection)?.entries.get(id);
    return entry ? toStoredDocument(JSON.parse(entry.json) as JsonObject, id, entry.rev) : null;
  }

  protected async _save(
    collection: string,
    id: string,
    doc: PreparedDocument,
    ifRev: string | null | undefined,
  ): Promise<string | null> {
    const existing = this.collections.get(collection)?.entries.get(id);
    if (ifRev === null ? existing !== undefined : ifRev !== undefined && existing?.rev !== ifRev) {
      return null;
    }
    const store = this.#collectionForWrite(collection);
    const rev = nextRevision(existing?.rev);
    store.entries.set(id, { json: doc.json, rev });
    if (!existing) store.keys.add(id);
    return rev;
  }

  protected async _delete(
    collection: string,
    id: string,
    ifRev: string | undefined,
  ): Promise<DeleteOutcome> {
    const store = this.collections.get(collection);
    const existing = store?.entries.get(id);
    if (!store || !existing) return 'missing';
    if (ifRev !== undefined && existing.rev !== ifRev) return 'conflict';
    store.entries.delete(id);
    store.keys.delete();
    return 'deleted';
  }

  protected async _listPage(
    collection: string,
    limit: number,
    after: string | null,
  ): Promise<BackendPage> {
    // Positions are ids: anything else in a cursor was not made here.
    if (after !== null && !isDocumentId(after)) {
      throw new ValidationError('Invalid cursor: it names no position in this collection', {
        collection,
      });
    }
    const store = this.collections.get(collection);
    if (!store) return { documents: [], next: null };
    const ids = store.keys.slice(after, limit);
    const documents = ids.map((id) => {
      const entry = store.entries.get(id) as Entry;
      return toStoredDocument(JSON.parse(entry.json) as JsonObject, id, entry.rev);
    });
    const last = ids.at(-1);
    return {
      documents,
      next: ids.length === limit && last !== undefined && store.keys.hasAfter(last) ? last : null,
    };
  }

  protected async _ping(): Promise<void> {}

  protected override async _close(): Promise<void> {
    this.collections.clear();
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
  return { entries, keys: new SortedKeys((key) => entries.has(key)) };
}

function isDocumentId(value: string): boolean {
  try {
    assertDocumentId(value);
    return true;
  } catch {
    return false;
  }
}
