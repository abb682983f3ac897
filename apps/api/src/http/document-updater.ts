import { type DatabaseService, isDatabaseError, type StoredDocument } from '@gofannon/db-core';
import { expiryOf, shownExpiry } from '../collections/expiry';
import { ApiError } from './api-error';

/** The next content of a document, made from its current one; may throw an ApiError. */
export type DocumentChange = (current: StoredDocument) => object;

/** How long a contended update keeps trying before it answers 409. */
const RETRY_BUDGET_MS = 15_000;
const MAX_BACKOFF_MS = 250;

/**
 * Read-modify-write without lost updates. Each update reads the document, applies its
 * change, and writes only over the revision it read; when another writer got there first,
 * the cycle runs again on the new content after a short random pause.
 *
 * Updates of one document from this process also wait their turn in a queue, so a burst
 * of them (a hundred charges on one user) costs one read and one write each instead of
 * mostly failed attempts. The revision check still guards against other processes.
 */
export class DocumentUpdater {
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(private readonly db: DatabaseService) {}

  /** Applies `change` to the document; 404 when it does not exist. */
  update(collection: string, id: string, change: DocumentChange): Promise<StoredDocument> {
    const key = JSON.stringify([collection, id]);
    const previous = this.#queues.get(key) ?? Promise.resolve();
    const run = previous.then(
      () => this.#updateWithRetry(collection, id, change),
      () => this.#updateWithRetry(collection, id, change),
    );
    this.#queues.set(key, run);
    const forget = () => {
      if (this.#queues.get(key) === run) this.#queues.delete(key);
    };
    run.then(forget, forget);
    return run;
  }

  async #updateWithRetry(
    collection: string,
    id: string,
    change: DocumentChange,
  ): Promise<StoredDocument> {
    const giveUpAt = Date.now() + RETRY_BUDGET_MS;
    for (let attempt = 0; ; attempt++) {
      const current = await this.db.get(collection, id);
      const next = change(current);
      try {
        // The expiry follows the new content (a session keeps its expires_at).
        const expiry = expiryOf(collection, next as Record<string, unknown>);
        const { rev } = await this.db.save(collection, id, next, {
          ifRev: current._rev,
          ...expiry,
        });
        return {
          ...(next as Record<string, never>),
          _id: id,
          _rev: rev,
          ...shownExpiry(expiry),
        };
      } catch (error) {
        if (!isDatabaseError(error) || error.status !== 409) throw error;
        if (Date.now() >= giveUpAt) {
          throw new ApiError(
            409,
            'conflict',
            `${collection}/${id} kept changing under concurrent writers; try again`,
          );
        }
        await pause(Math.random() * Math.min(MAX_BACKOFF_MS, 5 * 2 ** attempt));
      }
    }
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
