import {
  createDatabaseService,
  type DatabaseService,
  UnavailableError,
  ValidationError,
} from '@gofannon/db-core';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src';
import { QUERY_PATTERNS } from '../src/collections/query-patterns';
import { QUIET } from './support/api';
import { watchService } from './support/watched-service';

const INDEX_COUNT = Object.values(QUERY_PATTERNS).reduce((n, p) => n + p.indexes.length, 0);

/** A memory service whose ensureIndex answers `failure()` while it returns an error. */
async function serviceFailingIndexes(failure: (call: number) => Error | undefined) {
  const db = await createDatabaseService({ env: { DATABASE_PROVIDER: 'memory' } });
  let calls = 0;
  const watched: DatabaseService = watchService(db, () => undefined, {
    ensureIndex: (...args: Parameters<DatabaseService['ensureIndex']>) => {
      calls += 1;
      const error = failure(calls);
      return error ? Promise.reject(error) : db.ensureIndex(...args);
    },
  });
  return { db: watched, calls: () => calls };
}

describe('the query indexes made at start-up', () => {
  let app: FastifyInstance | undefined;
  afterEach(() => app?.close());

  it('are made once the database answers, when it was unavailable at start-up', async () => {
    const { db, calls } = await serviceFailingIndexes((call) =>
      call <= 3 ? new UnavailableError('down for now') : undefined,
    );
    app = await buildApp({ db, provider: 'memory', config: QUIET });
    // The API answers meanwhile.
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    await app.queryIndexes;
    expect(calls()).toBe(INDEX_COUNT + 3);
    const page = await app.db.find('deployments', {
      where: [['agentId', '==', 'a']],
      requireIndex: true,
    });
    expect(page.documents).toEqual([]);
  });

  it('stop being tried when the app closes while the database is still down', async () => {
    const { db, calls } = await serviceFailingIndexes(() => new UnavailableError('down'));
    app = await buildApp({ db, provider: 'memory', config: QUIET });
    await app.close();
    await app.queryIndexes;
    const tried = calls();
    expect(tried).toBeGreaterThanOrEqual(1);
    app = undefined;
    // Nothing runs after the close: a later look finds no further attempt.
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls()).toBe(tried);
  });

  it('that a backend refuses are not tried again, and the others are still made', async () => {
    const { db, calls } = await serviceFailingIndexes((call) =>
      call === 1 ? new ValidationError('this backend cannot index that') : undefined,
    );
    app = await buildApp({ db, provider: 'memory', config: QUIET });
    await app.queryIndexes;
    expect(calls()).toBe(INDEX_COUNT);
  });
});
