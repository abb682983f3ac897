import type { JsonObject, ListPage, SaveManyItem, StoredDocument } from '@gofannon/db-core';
import type { BenchTarget } from './bench-target';

interface Entry {
  doc: JsonObject;
  rev: string;
}

class MapCollection {
  readonly entries = new Map<string, Entry>();
  /** Ids in code-unit order for paging, rebuilt only when a page is read after a change. */
  #sortedIds: string[] | null = null;

  set(id: string, entry: Entry): void {
    if (!this.entries.has(id)) this.#sortedIds = null;
    this.entries.set(id, entry);
  }

  delete(id: string): boolean {
    this.#sortedIds = null;
    return this.entries.delete(id);
  }

  sortedIds(): string[] {
    this.#sortedIds ??= [...this.entries.keys()].sort();
    return this.#sortedIds;
  }
}

/**
 * The least a safe in-process store must do: a `Map` per collection holding its own
 * `structuredClone` copies (cloned on write and on read, so callers share nothing with it),
 * revisions from a counter and an `ifRev` comparison. No validation, no error mapping.
 */
export class MapBaseline implements BenchTarget {
  readonly #collections = new Map<string, MapCollection>();
  #writes = 0;

  async get(collection: string, id: string): Promise<StoredDocument> {
    const entry = this.#collections.get(collection)?.entries.get(id);
    if (!entry) throw new Error(`Baseline has no ${collection}/${id}`);
    return this.#read(id, entry);
  }

  async save(collection: string, id: string, doc: JsonObject): Promise<string> {
    return this.#write(collection, id, doc);
  }

  async saveIfRev(collection: string, id: string, doc: JsonObject, rev: string): Promise<string> {
    const current = this.#collections.get(collection)?.entries.get(id)?.rev;
    if (current !== rev) throw new Error(`Baseline revision conflict on ${collection}/${id}`);
    return this.#write(collection, id, doc);
  }

  async delete(collection: string, id: string): Promise<void> {
    if (!this.#collections.get(collection)?.delete(id)) {
      throw new Error(`Baseline has no ${collection}/${id} to delete`);
    }
  }

  async listPage(collection: string, limit: number, cursor: string | null): Promise<ListPage> {
    const store = this.#collections.get(collection);
    if (!store) return { documents: [], nextCursor: null };
    const ids = store.sortedIds();
    const start = cursor === null ? 0 : firstIndexAfter(ids, cursor);
    const pageIds = ids.slice(start, start + limit);
    const documents = pageIds.map((id) => this.#read(id, store.entries.get(id) as Entry));
    const more = start + limit < ids.length;
    return { documents, nextCursor: more ? (pageIds.at(-1) ?? null) : null };
  }

  async getMany(collection: string, ids: readonly string[]): Promise<Array<StoredDocument | null>> {
    const store = this.#collections.get(collection);
    return ids.map((id) => {
      const entry = store?.entries.get(id);
      return entry ? this.#read(id, entry) : null;
    });
  }

  async saveMany(collection: string, items: readonly SaveManyItem[]): Promise<void> {
    for (const item of items) this.#write(collection, item.id, item.doc as JsonObject);
  }

  async close(): Promise<void> {
    this.#collections.clear();
  }

  #read(id: string, entry: Entry): StoredDocument {
    const copy = structuredClone(entry.doc) as StoredDocument;
    copy._id = id;
    copy._rev = entry.rev;
    return copy;
  }

  #write(collection: string, id: string, doc: JsonObject): string {
    let store = this.#collections.get(collection);
    if (!store) {
      store = new MapCollection();
      this.#collections.set(collection, store);
    }
    this.#writes += 1;
    const rev = String(this.#writes);
    store.set(id, { doc: structuredClone(doc), rev });
    return rev;
  }
}

function firstIndexAfter(sortedIds: readonly string[], id: string): number {
  let low = 0;
  let high = sortedIds.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sortedIds[middle] as string) <= id) low = middle + 1;
    else high = middle;
  }
  return low;
}
