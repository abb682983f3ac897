import type { DatabaseService } from '@gofannon/db-core';
import type { FastifyBaseLogger } from 'fastify';
import { EXPIRING_COLLECTIONS } from '../collections/expiry';

/**
 * Deletes expired documents every `intervalMs` (`API_PURGE_INTERVAL_MS`). Expired documents
 * are invisible at once whether or not this runs; it reclaims their storage where the
 * backend has no TTL of its own. Several API processes may run it: `purgeExpired` deletes
 * each document at the revision it saw, once. A run still going when the next is due is
 * not doubled.
 */
export class ExpiredPurger {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;

  constructor(
    private readonly db: DatabaseService,
    private readonly log: FastifyBaseLogger,
    /** Told after each run, with how many it deleted or why it failed. */
    private readonly onRun: (outcome: { purged: number } | { error: unknown }) => void = () => {},
  ) {}

  start(intervalMs: number): void {
    this.#timer = setInterval(() => void this.run(), intervalMs);
    this.#timer.unref();
  }

  /** Purges every expiring collection once; resolves with how many documents it deleted. */
  run(): Promise<number> {
    this.#running ??= this.#purgeAll().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** Stops the timer and waits for a run under way. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running?.catch(() => {});
  }

  async #purgeAll(): Promise<number> {
    let purged = 0;
    try {
      for (const collection of EXPIRING_COLLECTIONS)
        purged += await this.db.purgeExpired(collection);
    } catch (error) {
      this.log.warn({ err: error }, 'purging expired documents failed; the next run tries again');
      this.onRun({ error });
      throw error;
    }
    if (purged > 0) this.log.info({ purged }, 'purged expired documents');
    this.onRun({ purged });
    return purged;
  }
}
