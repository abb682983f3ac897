import { createDatabaseService, InternalError, UnavailableError } from '@gofannon/db-core';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src';
import { call, QUIET, startApi } from './support/api';
import { watchService } from './support/watched-service';

const TOKEN = 'error-answers-token-0123';
const AUTH = { authorization: `Bearer ${TOKEN}` };

function expectErrorShape(
  response: Awaited<ReturnType<typeof call>>,
  status: number,
  code: string,
) {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expect(response.headers['x-request-id']).toEqual(expect.any(String));
  const body = response.json();
  expect(body).toEqual({
    error: expect.objectContaining({ code, message: expect.any(String) }),
    requestId: response.headers['x-request-id'],
  });
  return body.error as { code: string; message: string };
}

describe('error answers', () => {
  let app: FastifyInstance | undefined;
  afterEach(() => app?.close());

  it('say nothing about the inside in a 500 or a 503', async () => {
    const db = await createDatabaseService({ env: { DATABASE_PROVIDER: 'memory' } });
    const failing = watchService(db, () => undefined, {
      get: async () => {
        throw new InternalError('Unexpected postgres error: column "doc" does not exist');
      },
      find: async () => {
        throw new UnavailableError('permission denied for table tickets (role gofannon_app)');
      },
    });
    app = await buildApp({ db: failing, provider: 'memory', config: QUIET });
    const internal = expectErrorShape(await call(app, 'GET', '/sessions/x'), 500, 'internal');
    expect(internal.message).toBe('Internal error');
    const unavailable = await call(app, 'GET', '/tickets');
    const error = expectErrorShape(unavailable, 503, 'unavailable');
    expect(error.message).not.toMatch(/permission|tickets|role/);
    expect(unavailable.headers['retry-after']).toBe('1');
  });

  it('answer URLs the router cannot take in the one shape, after the token check', async () => {
    app = await startApi({ DATABASE_PROVIDER: 'memory' }, { apiToken: TOKEN });
    const longId = `/demos/${'a'.repeat(2000)}`;
    for (const url of ['/anything/%FF', '/demos/%FF', longId]) {
      expectErrorShape(await call(app, 'GET', url), 401, 'unauthorized');
    }
    expectErrorShape(await call(app, 'GET', '/anything/%FF', undefined, AUTH), 400, 'invalid');
    expectErrorShape(await call(app, 'GET', '/demos/%FF', undefined, AUTH), 400, 'invalid');
    const long = expectErrorShape(
      await call(app, 'GET', longId, undefined, AUTH),
      414,
      'uri_too_long',
    );
    expect(long.message).not.toContain('aaaa');
    // An unknown route needs the token too, so it tells a stranger nothing.
    expectErrorShape(await call(app, 'GET', '/nowhere'), 401, 'unauthorized');
    expectErrorShape(await call(app, 'GET', '/nowhere', undefined, AUTH), 404, 'not_found');
  });

  it("map the framework's other client errors by status instead of calling them 500", async () => {
    app = await startApi({ DATABASE_PROVIDER: 'memory' });
    const pastTheEnd = await call(app, 'GET', '/docs/static/swagger-ui.css', undefined, {
      range: 'bytes=99999999-100000000',
    });
    expectErrorShape(pastTheEnd, 416, 'range_not_satisfiable');
  });
});
