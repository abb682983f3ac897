import { setTimeout as pause } from 'node:timers/promises';
import { isDatabaseError } from '@gofannon/db-core';
import type { FastifyInstance } from 'fastify';
import { QUERY_PATTERNS, type QueryPatterns } from '../collections/query-patterns';

/** The first pause before trying again while the database is unavailable, and the longest. */
const FIRST_PAUSE_MS = 250;
const LONGEST_PAUSE_MS = 30_000;

/**
 * Makes the indexes of the API's query patterns (`ensureIndex` is idempotent, so this runs
 * at every start). Queries are right without them, only slower, so a database that is down
 * at start-up does not keep the API from starting: the indexes are made in the background,
 * trying again with a growing pause until every one is made or the app closes.
 * `app.queryIndexes` settles then.
 */
export function ensureQueryIndexes(
  app: FastifyInstance,
  patterns: Readonly<Record<string, QueryPatterns>> = QUERY_PATTERNS,
): void {
  const stop = new AbortController();
  const pending = Object.entries(patterns).flatMap(([collection, { indexes }]) =>
    indexes.map((fields) => ({ collection, fields: [...fields] })),
  );
  const done = ensureEach(app, pending, stop.signal);
  app.decorate('queryIndexes', done);
  app.addHook('preClose', async () => {
    stop.abort();
    await done;
  });
}

async function ensureEach(
  app: FastifyInstance,
  pending: Array<{ collection: string; fields: string[] }>,
  signal: AbortSignal,
): Promise<void> {
  let pauseMs = FIRST_PAUSE_MS;
  for (const { collection, fields } of pending) {
    const name = `${collection} (${fields.join(', ')})`;
    for (;;) {
      try {
        await app.db.ensureIndex(collection, { fields }, { signal });
        pauseMs = FIRST_PAUSE_MS;
        break;
      } catch (error) {
        if (signal.aborted) return;
        if (!isDatabaseError(error) || error.status !== 503) {
          // Not a passing outage: trying again would fail the same way. Queries still work.
          app.log.error({ err: error }, `The index on ${name} cannot be made`);
          break;
        }
        app.log.warn(`The index on ${name} waits for the database: ${error.message}`);
        const waited = await pause(pauseMs, true, { signal }).catch(() => false);
        if (!waited) return;
        pauseMs = Math.min(2 * pauseMs, LONGEST_PAUSE_MS);
      }
    }
  }
  app.log.info(`Query indexes ready: ${pending.length}`);
}
