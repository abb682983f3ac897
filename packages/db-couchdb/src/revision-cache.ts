/**
 * The last revision this service saw of each document, so that writing a document it has
 * read or written before takes one request instead of two. A stale entry costs only a
 * 409 and a re-read: CouchDB's MVCC, not this cache, decides every write.
 */
export class RevisionCache {
  readonly #revs = new Map<string, string>();

  constructor(private readonly capacity: number) {}

  get(db: string, couchId: string): string | undefined {
    return this.#revs.get(key(db, couchId));
  }

  set(db: string, couchId: string, rev: string): void {
    const entry = key(db, couchId);
    this.#revs.delete(entry);
    this.#revs.set(entry, rev);
    if (this.#revs.size > this.capacity) {
      const oldest = this.#revs.keys().next().value as string;
      this.#revs.delete(oldest);
    }
  }

  forget(db: string, couchId: string): void {
    this.#revs.delete(key(db, couchId));
  }

  clear(): void {
    this.#revs.clear();
  }
}

function key(db: string, couchId: string): string {
  return `${db}\u0000${couchId}`;
}
