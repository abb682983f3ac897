/**
 * The ids of one collection in code-unit order, for stable paging. Sorting is deferred
 * until a page is read, so bulk inserts cost one sort instead of one shift each, and a
 * delete only notes that the list must be checked against the store: it costs nothing
 * more than the store's own delete.
 */
export class SortedKeys {
  #keys: string[] = [];
  #pending: string[] = [];
  #deletions = false;
  readonly #present: (key: string) => boolean;

  /** `present` says whether the store still holds a key. */
  constructor(present: (key: string) => boolean) {
    this.#present = present;
  }

  /** A key the store did not hold before. */
  add(key: string): void {
    this.#pending.push(key);
  }

  /** The store no longer holds some key. */
  delete(): void {
    this.#deletions = true;
  }

  /** Up to `limit` keys strictly after `after` (`null`: from the first). */
  slice(after: string | null, limit: number): string[] {
    const keys = this.#settle();
    const start = after === null ? 0 : firstAfter(keys, after);
    return keys.slice(start, start + limit);
  }

  /** Whether any key sorts after `key`. */
  hasAfter(key: string): boolean {
    const keys = this.#settle();
    return firstAfter(keys, key) < keys.length;
  }

  #settle(): string[] {
    if (this.#deletions) {
      this.#keys = this.#keys.filter(this.#present);
      this.#pending = this.#pending.filter(this.#present);
      this.#deletions = false;
    }
    if (this.#pending.length > 0) {
      const sorted = this.#keys.concat(this.#pending).sort();
      // A key deleted and added again since the last sort is in both lists: keep one.
      this.#keys = sorted.filter((key, i) => i === 0 || key !== sorted[i - 1]);
      this.#pending = [];
    }
    return this.#keys;
  }
}

function firstAfter(keys: readonly string[], key: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((keys[mid] as string) <= key) low = mid + 1;
    else high = mid;
  }
  return low;
}
