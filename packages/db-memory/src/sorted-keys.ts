import { compareCodePoints } from '@gofannon/db-core';

/**
 * The ids of one collection in code-point order (the contract's order of `_id`), for stable
 * paging and for queries in id order. Sorting is deferred
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

  /**
   * The keys strictly after `after` in `direction` (`null`: from the first, or the last),
   * one at a time, so a reader can stop early. No key may be added or deleted meanwhile.
   */
  *walk(after: string | null, direction: 'asc' | 'desc'): Generator<string> {
    const keys = this.#settle();
    if (direction === 'asc') {
      for (let i = after === null ? 0 : firstAfter(keys, after); i < keys.length; i++) {
        yield keys[i] as string;
      }
    } else {
      for (
        let i = (after === null ? keys.length : firstAfter(keys, after, true)) - 1;
        i >= 0;
        i--
      ) {
        yield keys[i] as string;
      }
    }
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
      const sorted = this.#keys.concat(this.#pending).sort(compareCodePoints);
      // A key deleted and added again since the last sort is in both lists: keep one.
      this.#keys = sorted.filter((key, i) => i === 0 || key !== sorted[i - 1]);
      this.#pending = [];
    }
    return this.#keys;
  }
}

/** The index of the first key after `key` (`inclusive`: at or after it), by binary search. */
function firstAfter(keys: readonly string[], key: string, inclusive = false): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const order = compareCodePoints(keys[mid] as string, key);
    if (order < 0 || (order === 0 && !inclusive)) low = mid + 1;
    else high = mid;
  }
  return low;
}
