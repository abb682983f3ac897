/** A revision of a document, with the expiry (epoch ms) its body carries, if any. */
export interface KnownRevision {
  rev: string;
  expiresAt: number | undefined;
}

/**
 * The last revision this service saw of each document, so that writing a document it has
 * read or written before takes one request instead of two. A stale entry costs only a
 * 409 and a re-read: CouchDB's MVCC, not this cache, decides every write. The expiry of a
 * revision never changes (a revision names one body), so it is kept beside it: a write
 * conditional on a revision knows without a read whether that revision has expired.
 */
export class RevisionCache {
  readonly #revs = new Map<string, KnownRevision>();

  constructor(private readonly capacity: number) {}

  get(db: string, couchId: string): KnownRevision | undefined {
    return this.#revs.get(key(db, couchId));
  }

  set(db: string, couchId: string, rev: string, expiresAt: number | undefined): void {
    const entry = key(db, couchId);
    this.#revs.delete(entry);
    this.#revs.set(entry, { rev, expiresAt });
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
