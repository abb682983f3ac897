/**
 * The ids of one collection in code-unit order, for stable paging. Sorting is deferred
 * until a page is read, so bulk inserts cost one sort instead of one shift each.
 */
export class SortedKeys {
  #keys: string[] = [];
  #pending: string[] = [];
  #removed = new Set<string>();

  add(key: string): void {
    if (this.#removed.delete(key)) return;
    this.#pending.push(key);
  }

  delete(key: string): void {
    this.#removed.add(key);
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
    if (this.#removed.size > 0) {
      const removed = this.#removed;
      this.#keys = this.#keys.filter((key) => !removed.has(key));
      this.#pending = this.#pending.filter((key) => !removed.has(key));
      this.#removed = new Set();
    }
    if (this.#pending.length > 0) {
      this.#keys = this.#keys.concat(this.#pending).sort();
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
