// What real Apache CouchDB 3 does that the adapter must live with (BACKENDS.md), each as a
// test on the server the fixture gives: real CouchDB 3.5 in CI and on developer machines.
// Facts that the PouchDB stand-in does not share are skipped there, and say so.
import { expectDatabaseError, randomCollection } from '@gofannon/db-core/conformance';
import { type CouchServer, startCountingProxy, useCouchServer } from '@gofannon/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CouchDbDatabaseService, type CouchDbOptions } from '../src';
import { rawCouch } from './support/couch-inspector';

let server: CouchServer;
beforeAll(async () => {
  server = await useCouchServer();
});
afterAll(async () => {
  await server?.close();
});

const raw = rawCouch(() => server);

function service(options: Partial<CouchDbOptions> = {}) {
  return new CouchDbDatabaseService({
    url: server.url,
    user: server.user,
    password: server.password,
    timeoutMs: 10_000,
    ...options,
  });
}

/** Skips a test of a fact that only real CouchDB has, naming the server it skipped on. */
function onRealCouchDb(skip: (note?: string) => void): void {
  if (server.kind === 'pouchdb') skip(`a fact of real CouchDB 3; this is ${server.description}`);
}

/** Skips a test that changes the server's settings, where the server is not ours. */
function onOwnRealCouchDb(skip: (note?: string) => void): void {
  onRealCouchDb(skip);
  if (server.external) skip(`changes server settings; not done to ${server.description}`);
}

/** Sets one server setting for the duration of `work`, then puts the old value back. */
async function withServerSetting(
  section: string,
  key: string,
  value: string,
  work: () => Promise<void>,
): Promise<void> {
  const path = `_node/_local/_config/${section}/${key}`;
  const set = await raw(path, { method: 'PUT', body: JSON.stringify(value) });
  expect(set.status).toBe(200);
  const old = (await set.json()) as string;
  try {
    await work();
  } finally {
    const restore = old
      ? await raw(path, { method: 'PUT', body: JSON.stringify(old) })
      : await raw(path, { method: 'DELETE' });
    expect(restore.status).toBe(200);
  }
}

const KB = 1024;

describe('first writes into a collection that does not exist yet', () => {
  // CouchDB answers a write into a missing database before reading the body, then closes
  // the connection: a large body meets a reset, not the 404. The adapter must still create
  // the database and write, never report 503.
  it('large saveMany calls at once all land', async () => {
    const db = service();
    const collection = randomCollection();
    const batch = (n: number) =>
      Array.from({ length: 40 }, (_, i) => ({
        id: `b${n}-${i}`,
        doc: { pad: 'x'.repeat(50 * KB) },
      }));
    const results = await Promise.all([1, 2, 3].map((n) => db.saveMany(collection, batch(n))));
    for (const result of results) {
      expect(result.filter((item) => 'error' in item)).toEqual([]);
    }
    expect((await db.listAll(collection)).length).toBe(120);
    await db.close();
  });

  // Through a proxy (the bench counts requests with one) the early close reaches the client
  // after its body was sent, as a reset while reading the answer.
  it('a saveMany of 2,000 documents through a proxy lands', async () => {
    const proxy = await startCountingProxy(server.url);
    try {
      const db = service({ url: proxy.url });
      const collection = randomCollection();
      const items = Array.from({ length: 2_000 }, (_, i) => ({
        id: `d${i}`,
        doc: { i, pad: 'x'.repeat(2 * KB) },
      }));
      const results = await db.saveMany(collection, items);
      expect(results.filter((item) => 'error' in item)).toEqual([]);
      expect((await db.listAll(collection)).length).toBe(2_000);
      await db.close();
    } finally {
      await proxy.close();
    }
  });

  it('a single save of a document near the size limit lands', async () => {
    const db = service();
    const collection = randomCollection();
    const pad = 'x'.repeat(db.capabilities.maxDocumentBytes - '{"pad":""}'.length);
    const { rev } = await db.save(collection, 'big', { pad });
    const stored = await db.get(collection, 'big');
    expect(stored._rev).toBe(rev);
    expect((stored.pad as string).length).toBe(pad.length);
    await db.close();
  });

  it('a large write lands after the database was dropped behind the service', async () => {
    const db = service();
    const collection = randomCollection();
    await db.save(collection, 'small', { v: 1 });
    expect((await raw(collection, { method: 'DELETE' })).status).toBe(200);
    const pad = 'x'.repeat(4_000_000);
    const { rev } = await db.save(collection, 'big', { pad });
    expect((await db.get(collection, 'big'))._rev).toBe(rev);
    expect((await raw(collection, { method: 'DELETE' })).status).toBe(200);
    const results = await db.saveMany(
      collection,
      Array.from({ length: 3 }, (_, i) => ({ id: `many-${i}`, doc: { pad } })),
    );
    expect(results.filter((item) => 'error' in item)).toEqual([]);
    await db.close();
  });

  it('a write with ifRev into a missing collection is 409 and creates nothing', async () => {
    const db = service();
    const collection = randomCollection();
    await expectDatabaseError(
      db.save(collection, 'x', { pad: 'x'.repeat(512 * KB) }, { ifRev: '1-abc' }),
      'conflict',
    );
    expect((await raw(collection)).status).toBe(404);
    await db.close();
  });
});

describe('size limits as CouchDB enforces them', () => {
  it('declares CouchDB 3 default max_document_size, counted without _id and _rev', () => {
    expect(service().capabilities.maxDocumentBytes).toBe(8_000_000);
  });

  it('the server refuses one byte over 8,000,000 with 413', async ({ skip }) => {
    onRealCouchDb(skip);
    const collection = randomCollection();
    expect((await raw(collection, { method: 'PUT' })).status).toBe(201);
    const body = (bytes: number) => JSON.stringify({ p: 'x'.repeat(bytes - '{"p":""}'.length) });
    const atLimit = await raw(`${collection}/${'i'.repeat(500)}`, {
      method: 'PUT',
      body: body(8_000_000),
    });
    expect(atLimit.status).toBe(201);
    const over = await raw(`${collection}/over`, { method: 'PUT', body: body(8_000_001) });
    expect(over.status).toBe(413);
    expect(((await over.json()) as { error: string }).error).toBe('document_too_large');
  });

  it('a server with a smaller max_document_size: 413 for save, and for that item alone in saveMany', async ({
    skip,
  }) => {
    onOwnRealCouchDb(skip);
    const db = service();
    const collection = randomCollection();
    await db.save(collection, 'kept', { v: 1 });
    await withServerSetting('couchdb', 'max_document_size', String(100 * KB), async () => {
      const big = { pad: 'x'.repeat(200 * KB) };
      await expectDatabaseError(db.save(collection, 'kept', big), 'too_large', {
        collection,
        id: 'kept',
      });
      const results = await db.saveMany(collection, [
        { id: 'small-1', doc: { v: 1 } },
        { id: 'large', doc: big },
        { id: 'small-2', doc: { v: 2 } },
      ]);
      expect(results.map((item) => ('error' in item ? item.error.code : 'ok'))).toEqual([
        'ok',
        'too_large',
        'ok',
      ]);
    });
    expect(await db.get(collection, 'kept')).toMatchObject({ v: 1 });
    expect(
      (await db.getMany(collection, ['small-1', 'large', 'small-2'])).map((d) => d?._id ?? null),
    ).toEqual(['small-1', null, 'small-2']);
    await db.close();
  });

  // Over max_http_request_size CouchDB answers 413 before reading the body and closes the
  // connection: a client still sending sees a reset. Either way it is 413, never 503.
  it('a server with a smaller max_http_request_size: 413 in both forms, never 503', async ({
    skip,
  }) => {
    onOwnRealCouchDb(skip);
    const db = service();
    const collection = randomCollection();
    await db.save(collection, 'kept', { v: 1 });
    await withServerSetting('chttpd', 'max_http_request_size', String(256 * KB), async () => {
      // Somewhat over the limit: CouchDB's 413 answer arrives.
      await expectDatabaseError(
        db.save(collection, 'big', { pad: 'x'.repeat(512 * KB) }),
        'too_large',
      );
      // Far over it (a 24 MB _bulk_docs): the connection breaks while the body is sent.
      const results = await db.saveMany(
        collection,
        Array.from({ length: 4 }, (_, i) => ({ id: `huge-${i}`, doc: { pad: 'x'.repeat(6e6) } })),
      );
      expect(results.map((item) => ('error' in item ? item.error.code : 'ok'))).toEqual(
        Array(4).fill('too_large'),
      );
      expect(await db.get(collection, 'kept')).toMatchObject({ v: 1 });
    });
    await db.close();
  });
});

describe('numbers', () => {
  it('declares the normal doubles and refuses subnormals with 400 naming the path', async () => {
    const db = service();
    expect(db.capabilities.numberRange).toEqual({
      maxAbs: Number.MAX_VALUE,
      minAbs: 2.2250738585072014e-308,
    });
    const collection = randomCollection();
    for (const value of [5e-324, -5e-324, 3e-322, 2.225073858507201e-308]) {
      const error = await expectDatabaseError(
        db.save(collection, 'tiny', { deep: { values: [1, value] } }),
        'invalid',
      );
      expect(error.message).toContain('/deep/values/1');
    }
    await db.close();
  });

  it('every normal double round-trips exactly through the server', async () => {
    const db = service();
    const collection = randomCollection();
    const values = [Number.MAX_VALUE, 2.2250738585072014e-308, 0, 0.1, 1e21, 5e-7, 2 ** 53 + 2];
    // Doubles spread over every exponent, from a fixed seed so a failure can be repeated.
    let seed = 0x2545f491;
    const random = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 2 ** 32;
    };
    const view = new DataView(new ArrayBuffer(8));
    while (values.length < 2_000) {
      view.setUint32(0, Math.floor(random() * 2 ** 32));
      view.setUint32(4, Math.floor(random() * 2 ** 32));
      const value = view.getFloat64(0);
      if (Number.isFinite(value) && (value === 0 || Math.abs(value) >= 2.2250738585072014e-308))
        values.push(value);
    }
    await db.save(collection, 'numbers', { values });
    expect((await db.get(collection, 'numbers')).values).toEqual(values);
    await db.close();
  });
});

describe('CouchDB 3 behaviours the adapter hides', () => {
  it('design documents appear in _all_docs; the adapter never lists them', async ({ skip }) => {
    onRealCouchDb(skip);
    const db = service();
    const collection = randomCollection();
    await db.save(collection, 'doc', { v: 1 });
    const design = await raw(`${collection}/_design/views`, {
      method: 'PUT',
      body: JSON.stringify({ views: { all: { map: 'function (doc) { emit(doc._id) }' } } }),
    });
    expect(design.status).toBe(201);
    const rows = (await (await raw(`${collection}/_all_docs`)).json()) as {
      rows: Array<{ id: string }>;
    };
    expect(rows.rows.map((row) => row.id).sort()).toEqual(['_design/views', 'doc']);
    expect((await db.listAll(collection)).map((doc) => doc._id)).toEqual(['doc']);
    const page = await db.list(collection, { limit: 1 });
    expect(page.documents.map((doc) => doc._id)).toEqual(['doc']);
    expect(page.nextCursor).toBeNull();
    await db.close();
  });

  it('DELETE without a revision is 409 on the server; the adapter deletes all the same', async ({
    skip,
  }) => {
    onRealCouchDb(skip);
    const db = service();
    const collection = randomCollection();
    await db.save(collection, 'doc', { v: 1 });
    expect((await raw(`${collection}/doc`, { method: 'DELETE' })).status).toBe(409);
    await service().delete(collection, 'doc');
    await expectDatabaseError(db.get(collection, 'doc'), 'not_found');
    await db.close();
  });

  it('a deleted document answers 404 "deleted"; re-created, it never reuses a revision', async ({
    skip,
  }) => {
    onRealCouchDb(skip);
    const db = service();
    const collection = randomCollection();
    const first = await db.save(collection, 'doc', { v: 1 });
    await db.delete(collection, 'doc');
    const gone = await raw(`${collection}/doc`);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toEqual({ error: 'not_found', reason: 'deleted' });
    await expectDatabaseError(db.get(collection, 'doc'), 'not_found');
    const again = await db.save(collection, 'doc', { v: 1 }, { ifRev: null });
    expect(again.rev).not.toBe(first.rev);
    await expectDatabaseError(
      db.save(collection, 'doc', { v: 2 }, { ifRev: first.rev }),
      'conflict',
    );
    await db.close();
  });

  it('top-level "_" fields are refused by the server; the adapter refuses them first with 400', async ({
    skip,
  }) => {
    onRealCouchDb(skip);
    const collection = randomCollection();
    expect((await raw(collection, { method: 'PUT' })).status).toBe(201);
    const refused = await raw(`${collection}/doc`, {
      method: 'PUT',
      body: JSON.stringify({ _secret: 1 }),
    });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toBe('doc_validation');
    const db = service();
    await expectDatabaseError(db.save(collection, 'doc', { _secret: 1 }), 'invalid');
    expect((await raw(`${collection}/doc`)).status).toBe(404);
    await db.close();
  });

  it('illegal database names are refused by the server; every prefix the adapter takes is legal', async ({
    skip,
  }) => {
    onRealCouchDb(skip);
    const refused = await raw('Upper_Case', { method: 'PUT' });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toBe('illegal_database_name');
    // The prefix may hold every character CouchDB allows, '/' included (sent encoded).
    const prefix = `p${randomCollection().slice(-6)}_$()+/-`;
    const db = service({ databasePrefix: prefix });
    const collection = randomCollection();
    await db.save(collection, 'doc', { v: 1 });
    expect((await raw(encodeURIComponent(`${prefix}${collection}`))).status).toBe(200);
    expect((await db.get(collection, 'doc')).v).toBe(1);
    expect(() => service({ databasePrefix: 'Upper_' })).toThrow(/COUCHDB_DATABASE_PREFIX/);
    await db.close();
  });
});
