import {
  compareCodePoints,
  compareScalars,
  isScalar,
  type JsonObject,
  type JsonScalar,
  valueAtPath,
} from '@gofannon/db-core';

/** One document in an index: its values at the index's fields, and its id. */
export interface IndexEntry {
  readonly key: readonly JsonScalar[];
  readonly id: string;
}

/**
 * An in-memory index on some fields: its entries sorted by those fields' values, then
 * by id, in core's order of scalars. Sparse: a document with anything but a scalar at
 * one of the fields has no entry, since it can match no query the index serves. Writes
 * only queue their change; the next read sorts the new entries and merges them in, so
 * a bulk load costs one sort rather than one insertion each.
 */
export class MemoryIndex {
  #sorted: IndexEntry[] = [];
  #added: IndexEntry[] = [];
  #removed = new Set<IndexEntry>();
  readonly #byId = new Map<string, IndexEntry>();

  constructor(readonly fields: readonly string[]) {}

  /** Indexes a document under `id`, replacing its earlier entry. */
  put(id: string, body: JsonObject): void {
    this.remove(id);
    const key = this.fields.map((field) => valueAtPath(body, field));
    if (!key.every(isScalar)) return;
    const entry: IndexEntry = { key, id };
    this.#byId.set(id, entry);
    this.#added.push(entry);
  }

  /** Drops the entry of `id`, if it has one. */
  remove(id: string): void {
    const entry = this.#byId.get(id);
    if (entry === undefined) return;
    this.#byId.delete(id);
    this.#removed.add(entry);
  }

  /** Every entry in index order. */
  entries(): readonly IndexEntry[] {
    if (this.#removed.size > 0) {
      const removed = this.#removed;
      this.#sorted = this.#sorted.filter((entry) => !removed.has(entry));
      this.#added = this.#added.filter((entry) => !removed.has(entry));
      this.#removed = new Set();
    }
    if (this.#added.length > 0) {
      this.#sorted = merge(this.#sorted, this.#added.sort(compareEntries));
      this.#added = [];
    }
    return this.#sorted;
  }
}

/** Index order: the key's values one by one, then the id by code point. */
export function compareEntries(a: IndexEntry, b: IndexEntry): number {
  return compareKeys(a.key, b.key, a.key.length) || compareCodePoints(a.id, b.id);
}

/** Compares the first `length` values of two keys. */
export function compareKeys(
  a: readonly JsonScalar[],
  b: readonly JsonScalar[],
  length: number,
): number {
  for (let i = 0; i < length; i++) {
    const order = compareScalars(a[i] as JsonScalar, b[i] as JsonScalar);
    if (order !== 0) return order;
  }
  return 0;
}

function merge(left: IndexEntry[], right: IndexEntry[]): IndexEntry[] {
  const merged: IndexEntry[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    merged.push(
      compareEntries(left[i] as IndexEntry, right[j] as IndexEntry) <= 0
        ? (left[i++] as IndexEntry)
        : (right[j++] as IndexEntry),
    );
  }
  while (i < left.length) merged.push(left[i++] as IndexEntry);
  while (j < right.length) merged.push(right[j++] as IndexEntry);
  return merged;
}
