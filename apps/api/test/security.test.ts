import type { AddressInfo } from 'node:net';
import { createDatabaseService } from '@gofannon/db-core';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src';
import { call, QUIET, startApi } from './support/api';
import { apiBackends, isolatedEnv } from './support/backends';
import { rawRequest } from './support/raw-http';
import { demoBody } from './support/seed-documents';
import { watchService } from './support/watched-service';

const TOKEN = 'test-token-0123456789abcdef';

describe('bearer token', () => {
  let app: FastifyInstance;
  beforeEach(async () => {
    app = await startApi({ DATABASE_PROVIDER: 'memory' }, { apiToken: TOKEN });
  });
  afterEach(() => app.close());

  it('answers 401 with a challenge without a token, and with a wrong one; nothing is stored', async () => {
    const missing = await call(app, 'POST', '/demos', demoBody('d1'));
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(missing.json().error.code).toBe('unauthorized');
    for (const header of [
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.slice(1)}`,
      `Basic ${TOKEN}`,
      TOKEN,
      'Bearer',
    ]) {
      const wrong = await call(app, 'POST', '/demos', demoBody('d1'), { authorization: header });
      expect(wrong.statusCode, header).toBe(401);
    }
    const read = await call(app, 'GET', '/demos/d1', undefined, {
      authorization: `Bearer ${TOKEN}`,
    });
    expect(read.statusCode).toBe(404);
  });

  it('lets the right token through, on every route including the docs', async () => {
    const auth = { authorization: `bearer ${TOKEN}` };
    expect((await call(app, 'POST', '/demos', demoBody('d1'), auth)).statusCode).toBe(201);
    expect((await call(app, 'GET', '/openapi.json', undefined, auth)).statusCode).toBe(200);
    expect((await call(app, 'GET', '/openapi.json')).statusCode).toBe(401);
    expect((await call(app, 'GET', '/docs/', undefined, auth)).statusCode).toBe(200);
    expect((await call(app, 'GET', '/docs/')).statusCode).toBe(401);
  });

  it('leaves /health open', async () => {
    const health = await call(app, 'GET', '/health');
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok', provider: 'memory' });
  });
});

describe.each(apiBackends())('hostile ids over HTTP on $name', (backend) => {
  let app: FastifyInstance;
  let port: number;
  beforeEach(async () => {
    app = await startApi(isolatedEnv(backend));
    await app.listen({ host: '127.0.0.1', port: 0 });
    port = (app.server.address() as AddressInfo).port;
  });
  afterEach(() => app.close());

  const listedIds = async () =>
    JSON.parse((await rawRequest(port, 'GET', '/demos')).body).documents.map(
      (d: { _id: string }) => d._id,
    );

  it.each([
    ['a/b', '/demos/a%2Fb'],
    ['..', '/demos/..'],
    ['..', '/demos/%2e%2e'],
    ['.', '/demos/.'],
    ['%2F', '/demos/%252F'],
    ['_design/x', '/demos/_design%2Fx'],
    ['__x__', '/demos/__x__'],
    ['a b?c#d', '/demos/a%20b%3Fc%23d'],
    ['emoji 🚀', '/demos/emoji%20%F0%9F%9A%80'],
  ])('stores id %j (path %s) as that id and nothing else', async (id, path) => {
    const put = await rawRequest(port, 'PUT', path, { name: 'hostile' });
    expect(put.status).toBe(201);
    expect(JSON.parse(put.body)._id).toBe(id);
    expect(JSON.parse((await rawRequest(port, 'GET', path)).body)._id).toBe(id);
    expect(await listedIds()).toEqual([id]);
    expect((await rawRequest(port, 'DELETE', path)).status).toBe(204);
  });

  it.each([
    ['an id over 512 bytes', `/demos/${'x'.repeat(513)}`, 400],
    ['an id far longer than any allowed', `/demos/${'x'.repeat(5000)}`, 414],
    ['a NUL character', '/demos/a%00b', 400],
    ['malformed percent-encoding', '/demos/%E0%A4%A', 400],
    ['a lone surrogate', '/demos/%ED%A0%80', 400],
  ])('refuses %s with status %d, storing nothing', async (_, path, status) => {
    const put = await rawRequest(port, 'PUT', path, { name: 'hostile' });
    expect(put.status).toBe(status);
    expect(await listedIds()).toEqual([]);
  });

  it('never lets a path climb out of its collection', async () => {
    for (const path of ['/demos/../agents', '/demos/..%2Fagents', '/demos/%2e%2e/agents']) {
      const put = await rawRequest(port, 'PUT', path, { name: 'escape' });
      expect([201, 404], path).toContain(put.status);
      if (put.status === 201) expect(JSON.parse(put.body)._id, path).toBe('../agents');
    }
    expect(JSON.parse((await rawRequest(port, 'GET', '/agents')).body).documents).toEqual([]);
  });
});

describe('request bodies and error answers', () => {
  let app: FastifyInstance;
  beforeEach(async () => {
    app = await startApi({ DATABASE_PROVIDER: 'memory' }, { bodyLimit: 64 * 1024 });
  });
  afterEach(() => app.close());

  it('answers 413 to a body over the limit and stores nothing', async () => {
    const response = await call(
      app,
      'POST',
      '/demos',
      demoBody('big', { description: 'x'.repeat(70_000) }),
    );
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('too_large');
    expect((await call(app, 'GET', '/demos/big')).statusCode).toBe(404);
  });

  it('answers 400 to broken JSON and 415 to a body that is not JSON', async () => {
    const broken = await app.inject({
      method: 'POST',
      url: '/demos',
      headers: { 'content-type': 'application/json' },
      payload: '{"_id": "d1", "name": ',
    });
    expect(broken.statusCode).toBe(400);
    const text = await app.inject({
      method: 'POST',
      url: '/demos',
      headers: { 'content-type': 'text/plain' },
      payload: 'name=x',
    });
    expect(text.statusCode).toBe(415);
  });

  it('echoes a plain X-Request-Id and replaces one that could forge log lines', async () => {
    const plain = await call(app, 'GET', '/health', undefined, { 'x-request-id': 'abc-123' });
    expect(plain.headers['x-request-id']).toBe('abc-123');
    const forged = await call(app, 'GET', '/demos/none', undefined, {
      'x-request-id': 'a\u2028b c',
    });
    expect(forged.headers['x-request-id']).not.toContain('b c');
    expect(forged.json().requestId).toBe(forged.headers['x-request-id']);
  });
});

describe('an unexpected failure inside the service', () => {
  it('answers 500 with a generic message: no stack, no internals', async () => {
    const real = await createDatabaseService({ env: { DATABASE_PROVIDER: 'memory' } });
    const failing = watchService(real, () => {}, {
      get: () => Promise.reject(new TypeError('secret detail at /srv/app/internal.ts:42')),
    });
    const app = await buildApp({ db: failing, provider: 'memory', config: QUIET });
    try {
      const response = await call(app, 'GET', '/demos/d1');
      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({
        error: { code: 'internal', message: 'Internal error' },
        requestId: response.headers['x-request-id'],
      });
      expect(response.body).not.toContain('secret');
      expect(response.body).not.toContain('internal.ts');
    } finally {
      await app.close();
    }
  });
});

describe('URLs outside the six collections', () => {
  it('never reach the database', async () => {
    const calls: string[] = [];
    const real = await createDatabaseService({ env: { DATABASE_PROVIDER: 'memory' } });
    const watched = watchService(real, (method) => {
      if (method !== 'close') calls.push(method);
    });
    const app = await buildApp({ db: watched, provider: 'memory', config: QUIET });
    // The query indexes made at start-up are the only calls before the requests.
    await app.queryIndexes;
    calls.length = 0;
    try {
      for (const url of ['/evil', '/evil/x', '/agents%2F..%2Fevil', '/_users', '/demos/x/y']) {
        const post = await call(app, 'POST', url, { name: 'x' });
        expect(post.statusCode, url).toBe(404);
        expect((await call(app, 'PUT', url, { name: 'x' })).statusCode, url).toBe(404);
      }
      expect(calls).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
