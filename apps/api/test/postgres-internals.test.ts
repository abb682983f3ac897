import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, startApi } from './support/api';
import { apiBackends, isolatedEnv } from './support/backends';
import { sessionBody } from './support/seed-documents';

const postgres = apiBackends().filter((backend) => backend.name === 'postgres');

describe.each(postgres)('what the database says stays in the log, on $name', (backend) => {
  let app: FastifyInstance;
  let raw: pg.Client;
  let table: string;
  beforeEach(async () => {
    const env = isolatedEnv(backend);
    app = await startApi(env);
    table = `${env.POSTGRES_TABLE_PREFIX ?? ''}sessions`;
    raw = new pg.Client({ connectionString: env.POSTGRES_URL });
    await raw.connect();
  });
  afterEach(async () => {
    await raw.end();
    await app.close();
  });

  it('answers 500 without naming the column, when a table changed behind the API', async () => {
    expect((await call(app, 'POST', '/sessions', sessionBody('s1'))).statusCode).toBe(201);
    await raw.query(`ALTER TABLE "${table}" RENAME COLUMN doc TO doc_moved`);
    const response = await call(app, 'GET', '/sessions/s1');
    expect(response.statusCode).toBe(500);
    expect(response.json().error).toMatchObject({ code: 'internal', message: 'Internal error' });
    expect(response.body).not.toMatch(/doc|column|postgres/i);
  });
});
