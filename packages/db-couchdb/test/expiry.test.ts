// Expiring documents as the adapter stores them on CouchDB (issue #19): the stored field,
// reads that restore `_expiresAt`, create-only over an expired document racing another
// writer, and the purge's view. The conformance suite checks the contract itself; these
// check how CouchDB is used. Nothing waits: the services run on a clock the tests move.
import { expectDatabaseError, randomCollection } from '@gofannon/db-core/conformance';
import {
  type CouchServer,
  type CountingProxy,
  freeLoopbackPort,
  startCountingProxy,
  useCouchServer,
} from '@gofannon/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
const MINUTE = 60_000;
const EXPIRY_DESIGN = '_design/gofannon-expiry.v1';

/** The clock every service of a test runs on: it stands still until the test moves it. */
let now = Date.now();
const clock = () => now;

const opened: CouchDbDatabaseService[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.close()));
});

function service(options: Partial<CouchDbOptions> = {}): CouchDbDatabaseService {
  const db = new CouchDbDatabaseService({
    url: server.url,
    user: server.user,
    password: server.password,
    timeoutMs: 10_000,
    clock,
    ...options,
  });
  opened.push(db);
  return db;
}

/** The document as CouchDB holds it. */
async function stored(collection: string, id: string): Promise<Record<string, unknown>> {
  const response = await raw(`${collection}/${encodeURIComponent(id)}`);
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

/** Skips a test of what only real CouchDB's views do, naming the server it skipped on. */
function onRealCouchDb(skip: (note?: string) => void, why: string): void {
  if (server.kind === 'pouchdb') skip(`${why}; this is ${server.description}`);
}

/** On the stand-in the purge is core's walk: a request per document. */
const PURGE_VIEW = "the purge's view needs real CouchDB (the stand-in has core's walk)";

/** `count` documents expiring at `at`, saved in chunks. */
async function saveExpiring(
  db: CouchDbDatabaseService,
  collection: string,
  count: number,
  at: number,
  prefix = 'exp',
): Promise<void> {
  for (let start = 0; start < count; start += 500) {
    const items = Array.from({ length: Math.min(500, count - start) }, (_, i) => ({
      id: `${prefix}-${String(start + i).padStart(6, '0')}`,
      doc: { i: start + i },
      expiresAt: at,
    }));
    const results = await db.saveMany(collection, items);
    expect(results.filter((item) => 'error' in item)).toEqual([]);
  }
}

describe('how the expiry is stored', () => {
  it('as ~expiresAt in epoch ms; a field of the same name of the caller gets one ~ more', async () => {
    const db = service();
    const collection = randomCollection();
    const at = now + MINUTE;
    await db.save(collection, 'a', { n: 1 }, { expiresAt: at });
    expect(await stored(collection, 'a')).toEqual({
      _id: 'a',
      _rev: expect.any(String),
      n: 1,
      '~expiresAt': at,
    });
    await db.save(
      collection,
      'b',
      { '~expiresAt': 'mine', '~~expiresAt': 2, n: 2 },
      { expiresAt: at },
    );
    expect(await stored(collection, 'b')).toMatchObject({
      '~~expiresAt': 'mine',
      '~~~expiresAt': 2,
      '~expiresAt': at,
    });
    const read = await db.get(collection, 'b');
    expect(read).toEqual({
      '~expiresAt': 'mine',
      '~~expiresAt': 2,
      n: 2,
      _expiresAt: new Date(at).toISOString(),
      _id: 'b',
      _rev: expect.any(String),
    });
    // Without expiry, nothing of it is stored.
    await db.save(collection, 'a', { n: 3 });
    expect(await stored(collection, 'a')).not.toHaveProperty('~expiresAt');
  });

  it('a document another client wrote, with no expiry, reads as it is', async () => {
    const db = service();
    const collection = randomCollection();
    expect((await raw(collection, { method: 'PUT' })).status).toBe(201);
    const body = { user_id: 'u1', expires_at: '2020-01-01T00:00:00Z', messages: [] };
    const put = await raw(`${collection}/python`, { method: 'PUT', body: JSON.stringify(body) });
    expect(put.status).toBe(201);
    const read = await db.get(collection, 'python');
    expect(read).toEqual({ ...body, _id: 'python', _rev: expect.any(String) });
    expect(await db.purgeExpired(collection)).toBe(0);
    expect((await db.get(collection, 'python'))._rev).toBe(read._rev);
  });
});

describe('every read path restores _expiresAt', () => {
  it('get, getMany, list, listAll and find (by the index view and by the scan)', async () => {
    const db = service();
    const collection = randomCollection();
    const at = now + MINUTE;
    const iso = new Date(at).toISOString();
    await db.saveMany(collection, [
      { id: 'e1', doc: { kind: 'x', n: 1 }, expiresAt: at },
      { id: 'p1', doc: { kind: 'x', n: 2 } },
      { id: 'mine', doc: { kind: 'y', '~expiresAt': 'own' }, expiresAt: at },
    ]);
    const expiryOf = (docs: Array<{ _id: string; _expiresAt?: string } | null>) =>
      Object.fromEntries(docs.map((doc) => [doc?._id, doc?._expiresAt ?? null]));
    const expected = { e1: iso, p1: null, mine: iso };
    expect(expiryOf([await db.get(collection, 'e1')])).toEqual({ e1: iso });
    expect(expiryOf(await db.getMany(collection, ['e1', 'p1', 'mine']))).toEqual(expected);
    expect(expiryOf((await db.list(collection, { limit: 10 })).documents)).toEqual(expected);
    expect(expiryOf(await db.listAll(collection))).toEqual(expected);
    const query = { where: [['kind', '==', 'x']] as [string, '==', string][], limit: 10 };
    expect(expiryOf((await db.find(collection, query)).documents)).toEqual({ e1: iso, p1: null });
    await db.ensureIndex(collection, { fields: ['kind'] });
    expect(expiryOf((await db.find(collection, query)).documents)).toEqual({ e1: iso, p1: null });
    // The caller's own field of the stored name, found through an index on it.
    await db.ensureIndex(collection, { fields: ['~expiresAt'] });
    const own = await db.find(collection, { where: [['~expiresAt', '==', 'own']] });
    expect(own.documents.map((doc) => [doc._id, doc['~expiresAt'], doc._expiresAt])).toEqual([
      ['mine', 'own', iso],
    ]);
  });
});

describe('create-only over an expired document', () => {
  let proxy: CountingProxy;
  beforeAll(async () => {
    proxy = await startCountingProxy(server.url, { record: true });
  });
  afterAll(async () => {
    await proxy?.close();
  });

  it('continues its revision: three requests when unseen, one when the service saw it expire', async ({
    skip,
  }) => {
    onRealCouchDb(skip, 'the stand-in makes no expiry view after the first expiring write');
    const collection = randomCollection();
    const writer = service();
    const first = await writer.save(collection, 'doc', { v: 1 }, { expiresAt: now + 1 });
    now += 1;
    const db = service({ url: proxy.url });
    proxy.reset();
    const second = await db.save(collection, 'doc', { v: 2 }, { ifRev: null, expiresAt: now + 1 });
    expect(proxy.seen).toEqual([
      `PUT /${collection}/doc`,
      `POST /${collection}/_all_docs`,
      `PUT /${collection}/doc`,
      // Once per database and service, after its first expiring write: the purge's view.
      'GET /',
      `PUT /${collection}/${EXPIRY_DESIGN}`,
    ]);
    expect(second.rev.startsWith('2-')).toBe(true);
    expect(second.rev).not.toBe(first.rev);
    now += 1;
    proxy.reset();
    const third = await db.save(collection, 'doc', { v: 3 }, { ifRev: null });
    expect(proxy.seen).toEqual([`PUT /${collection}/doc`]);
    expect(third.rev.startsWith('3-')).toBe(true);
    expect(await writer.get(collection, 'doc')).toMatchObject({ v: 3, _rev: third.rev });
  });

  it('loses with 409 to a writer that saves the document between its read and its write', async () => {
    const collection = randomCollection();
    const other = service();
    await other.save(collection, 'doc', { v: 1 }, { expiresAt: now + 1 });
    now += 1;
    const db = service({ url: proxy.url });
    proxy.reset();
    // The create's PUT (409) and its read pass; its second PUT waits until the other
    // writer has saved the document again, alive.
    const held = proxy.reached(2).then(() => proxy.hold());
    const create = db.save(collection, 'doc', { v: 'create' }, { ifRev: null });
    await held;
    const racing = await other.save(collection, 'doc', { v: 'other' });
    await proxy.reached(3);
    proxy.release();
    await expectDatabaseError(create, 'conflict');
    expect(await other.get(collection, 'doc')).toMatchObject({ v: 'other', _rev: racing.rev });
  });

  it('saveMany creates over expired items and refuses live ones', async () => {
    const collection = randomCollection();
    const db = service();
    await db.saveMany(collection, [
      { id: 'expired', doc: { v: 1 }, expiresAt: now + 1 },
      { id: 'live', doc: { v: 1 }, expiresAt: now + MINUTE },
    ]);
    now += 1;
    const fresh = service();
    const results = await fresh.saveMany(collection, [
      { id: 'expired', doc: { v: 2 }, ifRev: null },
      { id: 'live', doc: { v: 2 }, ifRev: null },
      { id: 'new', doc: { v: 2 }, ifRev: null },
    ]);
    expect(
      results.map((item) => ('error' in item ? item.error.code : item.rev.slice(0, 2))),
    ).toEqual(['2-', 'conflict', '1-']);
  });
});

describe('purgeExpired', () => {
  let proxy: CountingProxy;
  beforeAll(async () => {
    proxy = await startCountingProxy(server.url, { record: true });
  });
  afterAll(async () => {
    await proxy?.close();
  });

  it('reads the view and deletes in batches of at most 1,000, at the revisions it read', async ({
    skip,
  }) => {
    onRealCouchDb(skip, PURGE_VIEW);
    const collection = randomCollection();
    const writer = service();
    await saveExpiring(writer, collection, 2_500, now + 1);
    await writer.saveMany(collection, [
      { id: 'later', doc: {}, expiresAt: now + MINUTE },
      { id: 'never', doc: {} },
    ]);
    now += 1;
    const db = service({ url: proxy.url });
    proxy.reset();
    expect(await db.purgeExpired(collection)).toBe(2_500);
    const view = `POST /${collection}/${EXPIRY_DESIGN}/_view/expired`;
    const bulk = `POST /${collection}/_bulk_docs`;
    expect(proxy.seen.filter((line) => line !== 'GET /').sort()).toEqual(
      [view, view, view, bulk, bulk, bulk].sort(),
    );
    expect((await db.listAll(collection)).map((doc) => doc._id)).toEqual(['later', 'never']);
    expect(await db.purgeExpired(collection)).toBe(0);
  });

  it('leaves a document saved again between its read of the view and its delete', async ({
    skip,
  }) => {
    onRealCouchDb(skip, PURGE_VIEW);
    const collection = randomCollection();
    const writer = service();
    await saveExpiring(writer, collection, 10, now + 1);
    now += 1;
    const db = service({ url: proxy.url });
    await db.purgeExpired(randomCollection()); // asks the server what it is, once
    proxy.reset();
    const held = proxy.reached(1).then(() => proxy.hold());
    const purge = db.purgeExpired(collection);
    await held;
    const resaved = await writer.save(collection, 'exp-000003', { v: 'again' });
    await proxy.reached(2);
    proxy.release();
    expect(await purge).toBe(9);
    expect(await writer.get(collection, 'exp-000003')).toMatchObject({ _rev: resaved.rev });
  });

  it('from two services at once deletes each document once', async () => {
    const collection = randomCollection();
    // Core's walk on the stand-in deletes one request per document: fewer there.
    const count = server.kind === 'pouchdb' ? 200 : 1_500;
    await saveExpiring(service(), collection, count, now + 1);
    now += 1;
    const counts = await Promise.all([
      service().purgeExpired(collection),
      service().purgeExpired(collection),
    ]);
    expect(counts[0] + counts[1]).toBe(count);
    expect(await service().listAll(collection)).toEqual([]);
  });

  it('makes its design document, which list, listAll and find never show', async () => {
    const collection = randomCollection();
    const db = service();
    await db.save(collection, 'doc', { kind: 'x' }, { expiresAt: now + MINUTE });
    await db.purgeExpired(collection);
    if (server.kind !== 'pouchdb') {
      const design = await stored(collection, EXPIRY_DESIGN);
      expect(Object.keys(design.views as object)).toEqual(['expired']);
    }
    expect((await db.list(collection)).documents.map((doc) => doc._id)).toEqual(['doc']);
    expect((await db.listAll(collection)).map((doc) => doc._id)).toEqual(['doc']);
    expect((await db.find(collection, {})).documents.map((doc) => doc._id)).toEqual(['doc']);
    expect(
      (await db.find(collection, { where: [['_id', '>=', '']] })).documents.map((d) => d._id),
    ).toEqual(['doc']);
  });

  it('is 503 when CouchDB cannot be reached, before or during the purge', async ({ skip }) => {
    const refused = service({ url: `http://127.0.0.1:${await freeLoopbackPort()}` });
    await expectDatabaseError(refused.purgeExpired(randomCollection()), 'unavailable');
    onRealCouchDb(skip, PURGE_VIEW);
    const collection = randomCollection();
    await saveExpiring(service(), collection, 10, now + 1);
    now += 1;
    const dying = await startCountingProxy(server.url);
    try {
      const db = service({ url: dying.url });
      await db.purgeExpired(randomCollection()); // asks the server what it is, once
      dying.reset();
      // The view is read; the delete never reaches CouchDB.
      const held = dying.reached(1).then(() => dying.hold());
      const purge = db.purgeExpired(collection);
      await held;
      await dying.reached(2);
      await dying.close();
      await expectDatabaseError(purge, 'unavailable');
    } finally {
      await dying.close();
    }
    expect(await service().purgeExpired(collection)).toBe(10);
  });
});
