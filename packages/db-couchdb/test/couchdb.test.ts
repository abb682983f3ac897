import { createDatabaseService, isDatabaseError } from '@gofannon/db-core';
import { expectDatabaseError, randomCollection } from '@gofannon/db-core/conformance';
import {
  type CouchServer,
  type CountingProxy,
  startCountingProxy,
  useCouchServer,
} from '@gofannon/test-support';
import nano from 'nano';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CouchDbDatabaseService } from '../src';
import { rawCouch } from './support/couch-inspector';

let server: CouchServer;
beforeAll(async () => {
  server = await useCouchServer();
});
afterAll(async () => {
  await server?.close();
});

const raw = rawCouch(() => server);

function service(url = server.url, password = server.password) {
  return new CouchDbDatabaseService({ url, user: server.user, password, timeoutMs: 5_000 });
}

async function storedIds(db: string): Promise<string[]> {
  const response = await raw(`${encodeURIComponent(db)}/_all_docs`);
  const body = (await response.json()) as { rows: Array<{ id: string }> };
  return body.rows.map((row) => row.id).sort();
}

describe('ids on the wire', () => {
  it('stores plain ids unchanged and escapes only what CouchDB reserves', async () => {
    const db = service();
    const collection = randomCollection();
    const ids = [
      'user_google_123',
      '550e8400-e29b-41d4-a716-446655440000',
      'a/b',
      'a?b#c',
      '_design/x',
      '~tilde',
      '.',
      '..',
    ];
    for (const id of ids) await db.save(collection, id, { id });
    expect(await storedIds(collection)).toEqual(
      [
        'user_google_123',
        '550e8400-e29b-41d4-a716-446655440000',
        'a/b',
        'a?b#c',
        '~_design/x',
        '~~tilde',
        '~.',
        '~..',
      ].sort(),
    );
    for (const id of ids) expect((await db.get(collection, id))._id).toBe(id);
    await db.close();
  });
});

describe('documents written by others', () => {
  it('reads a document written with raw nano, as the Python service would have', async () => {
    const db = service();
    const collection = randomCollection();
    const client = nano(`${server.url.replace('://', `://${server.user}:${server.password}@`)}`);
    await client.db.create(collection);
    const written = await client
      .use(collection)
      .insert({ _id: 'agent-1', name: 'Raw', tools: { web: ['search'] } } as object);
    expect(await db.get(collection, 'agent-1')).toEqual({
      _id: 'agent-1',
      _rev: written.rev,
      name: 'Raw',
      tools: { web: ['search'] },
    });
    const update = await db.save(collection, 'agent-1', { name: 'Updated' });
    expect((await client.use(collection).get('agent-1'))._rev).toBe(update.rev);
    await db.close();
  });

  it('leaves design documents out of listings and never serves them as documents', async () => {
    const db = service();
    const collection = randomCollection();
    await db.save(collection, 'doc', { v: 1 });
    const design = await raw(`${collection}/_design/views`, {
      method: 'PUT',
      body: JSON.stringify({ views: { all: { map: 'function (doc) { emit(doc._id) }' } } }),
    });
    expect(design.status).toBe(201);
    expect((await db.listAll(collection)).map((doc) => doc._id)).toEqual(['doc']);
    expect((await db.list(collection, { limit: 1 })).documents.map((doc) => doc._id)).toEqual([
      'doc',
    ]);
    await expectDatabaseError(db.get(collection, '_design/views'), 'not_found');
    await db.close();
  });

  it('a blind save wins over a revision changed behind its back, without a 409', async () => {
    const db = service();
    const collection = randomCollection();
    await db.save(collection, 'doc', { v: 1 });
    const other = await raw(`${collection}/doc`);
    const { _rev } = (await other.json()) as { _rev: string };
    await raw(`${collection}/doc`, {
      method: 'PUT',
      body: JSON.stringify({ _rev, v: 'other writer' }),
    });
    const mine = await db.save(collection, 'doc', { v: 'mine' });
    expect(await db.get(collection, 'doc')).toMatchObject({ v: 'mine', _rev: mine.rev });
    await db.close();
  });
});

describe('round trips', () => {
  let proxy: CountingProxy;
  beforeAll(async () => {
    proxy = await startCountingProxy(server.url, { record: true });
  });
  afterAll(async () => {
    await proxy?.close();
  });

  it('get is one request, a new save one, a re-save one, a blind save of an unseen document at most three', async () => {
    const collection = randomCollection();
    const db = service(proxy.url);
    await db.save(collection, 'warm-up', {});
    const counted = async (work: () => Promise<unknown>) => {
      proxy.reset();
      await work();
      return [...proxy.seen];
    };
    expect(await counted(() => db.save(collection, 'new', { v: 1 }))).toEqual([
      `PUT /${collection}/new`,
    ]);
    expect(await counted(() => db.get(collection, 'new'))).toEqual([`GET /${collection}/new`]);
    expect(await counted(() => db.save(collection, 'new', { v: 2 }))).toHaveLength(1);
    expect(
      await counted(() =>
        db.save(collection, 'new', { v: 3 }, { ifRev: 'stale' }).catch(() => 'conflict'),
      ),
    ).toHaveLength(1);
    expect(await counted(() => db.listAll(collection))).toEqual([`GET /${collection}/_all_docs`]);
    const fresh = service(proxy.url);
    expect(await counted(() => fresh.save(collection, 'new', { v: 4 }))).toHaveLength(3);
    expect(await counted(() => fresh.save(collection, 'new', { v: 5 }))).toHaveLength(1);
    const items = Array.from({ length: 300 }, (_, i) => ({ id: `bulk-${i}`, doc: { i } }));
    expect(await counted(() => fresh.saveMany(collection, items))).toEqual([
      `POST /${collection}/_bulk_docs`,
      `POST /${collection}/_bulk_docs`,
    ]);
    await db.close();
    await fresh.close();
  });

  it('reads create nothing and make no database checks', async () => {
    const collection = randomCollection();
    const db = service(proxy.url);
    proxy.reset();
    await expectDatabaseError(db.get(collection, 'x'), 'not_found');
    expect(await db.listAll(collection)).toEqual([]);
    expect(proxy.seen.every((line) => line.startsWith('GET '))).toBe(true);
    expect((await raw(collection)).status).toBe(404);
    await db.close();
  });
});

describe('credentials and outages', () => {
  it('wrong credentials give 503 naming the cause, never the password', async () => {
    const secret = 'wrong-password-123';
    const db = service(server.url, secret);
    const error = await expectDatabaseError(db.ping(), 'unavailable');
    expect(error.message).toMatch(/401/);
    expect(error.message).toContain('COUCHDB_USER');
    const everything = JSON.stringify({
      message: error.message,
      cause: error.cause,
      stack: error.stack,
    });
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(Buffer.from(`${server.user}:${secret}`).toString('base64'));
    await expectDatabaseError(db.save(randomCollection(), 'x', {}), 'unavailable');
    await db.close();
  });

  it('a server that does not answer gives 503 within the timeout', async () => {
    const silent = await import('node:net').then(({ createServer }) => createServer(() => {}));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const db = new CouchDbDatabaseService({
      url: `http://127.0.0.1:${port}`,
      user: 'u',
      password: 'p',
      timeoutMs: 300,
    });
    const started = Date.now();
    await expectDatabaseError(db.get('agents', 'x'), 'unavailable');
    expect(Date.now() - started).toBeLessThan(5_000);
    await db.close();
    silent.close();
  });

  it.skipIf(Boolean(process.env.COUCHDB_URL))(
    'recovers by itself after the server stops and starts',
    async () => {
      const db = service();
      const collection = randomCollection();
      await db.save(collection, 'before', {});
      await server.stop();
      try {
        await expectDatabaseError(db.get(collection, 'before'), 'unavailable');
        await expectDatabaseError(db.save(collection, 'during', {}), 'unavailable');
      } finally {
        await server.restart();
      }
      const after = await db.save(collection, 'after', { v: 1 });
      expect((await db.get(collection, 'after'))._rev).toBe(after.rev);
      await db.close();
    },
  );
});

describe('DATABASE_PROVIDER=couchdb', () => {
  it('names every missing setting at once', async () => {
    const error = await createDatabaseService({ env: { DATABASE_PROVIDER: 'couchdb' } }).catch(
      (e: unknown) => e,
    );
    expect(String(error)).toMatch(
      /COUCHDB_URL is not set[\s\S]*COUCHDB_USER is not set[\s\S]*COUCHDB_PASSWORD is not set/,
    );
    expect(String(error).match(/ is not set/g)).toHaveLength(3);
  });

  it('names a missing setting and a bad one in the same error', async () => {
    const error = await createDatabaseService({
      env: { DATABASE_PROVIDER: 'couchdb', COUCHDB_URL: 'localhost:5984', COUCHDB_USER: 'u' },
    }).catch((e: unknown) => e);
    expect(String(error)).toMatch(/COUCHDB_PASSWORD is not set/);
    expect(String(error)).toMatch(/COUCHDB_URL must be an http:\/\/ or https:\/\/ URL/);
  });

  it('starts the adapter from the environment, with a prefix', async () => {
    const db = await createDatabaseService({
      env: {
        DATABASE_PROVIDER: 'couchdb',
        COUCHDB_URL: server.url,
        COUCHDB_USER: server.user,
        COUCHDB_PASSWORD: server.password,
        COUCHDB_DATABASE_PREFIX: 'envtest_',
      },
    });
    const collection = randomCollection();
    await db.save(collection, 'x', { ok: true });
    expect((await raw(`envtest_${collection}/x`)).status).toBe(200);
    await db.close();
  });

  it('refuses a bad URL or prefix at start-up', async () => {
    const base = { DATABASE_PROVIDER: 'couchdb', COUCHDB_USER: 'u', COUCHDB_PASSWORD: 'p' };
    for (const env of [
      { ...base, COUCHDB_URL: 'localhost:5984' },
      { ...base, COUCHDB_URL: server.url, COUCHDB_DATABASE_PREFIX: 'Bad Prefix' },
    ]) {
      const error = await createDatabaseService({ env }).catch((e: unknown) => e);
      expect(isDatabaseError(error)).toBe(false);
      expect((error as Error).name).toBe('ConfigurationError');
    }
  });
});
