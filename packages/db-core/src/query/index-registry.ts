/**
 * The indexes `ensureIndex` made through one service, per collection: what `requireIndex`
 * and index selection look at. Concurrent calls for the same index share one backend
 * call, and an index is recorded only once the backend has made it.
 */
export class IndexRegistry {
  readonly #made = new Map<string, Map<string, readonly string[]>>();
  readonly #pending = new Map<string, Promise<void>>();

  /** Runs `make` unless this index is recorded or being made already; records it on success. */
  ensure(collection: string, fields: readonly string[], make: () => Promise<void>): Promise<void> {
    const key = JSON.stringify(fields);
    if (this.#made.get(collection)?.has(key)) return Promise.resolve();
    const pendingKey = JSON.stringify([collection, fields]);
    const pending = this.#pending.get(pendingKey);
    if (pending) return pending;
    const making = make()
      .then(() => {
        const indexes = this.#made.get(collection) ?? new Map<string, readonly string[]>();
        indexes.set(key, Object.freeze([...fields]));
        this.#made.set(collection, indexes);
      })
      .finally(() => this.#pending.delete(pendingKey));
    this.#pending.set(pendingKey, making);
    return making;
  }

  /** The fields of every index recorded for the collection, in the order they were made. */
  list(collection: string): Iterable<readonly string[]> {
    return this.#made.get(collection)?.values() ?? [];
  }
}
