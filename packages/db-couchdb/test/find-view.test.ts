import { isDatabaseError } from '@gofannon/db-core';
import { expectDatabaseError, randomCollection } from '@gofannon/db-core/conformance';
import { type CouchServer, useCouchServer } from '@gofannon/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CouchDbDatabaseService } from '../src';
import { designId, designPath } from '../src/find-view';
import { rawCouch } from './support/couch-inspector';
import { type Exchange, startRecordingProxy } from './support/recording-proxy';

let server: CouchServer;
let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
let db: CouchDbDatabaseService;
const raw = rawCouch(() => server);
const collection = randomCollection();
const fields = ['status', 'created'];
const DOCUMENTS = 2000;
const query = {
  where: [['status', '==', 'status-3']] as [string, '==', string][],
  orderBy: { field: 'created', direction: 'desc' as const },
  limit: 20,
};

function connect(url = server.url, password = server.password) {
  return new CouchDbDatabaseService({ url, user: server.user, password, timeoutMs: 30_000 });
}

/**
 * The index views need raw collation, which only Apache CouchDB has: on the PouchDB
 * stand-in the adapter makes no view and scans, and these tests are skipped, saying so.
 */
function onRealCouchDb(skip: (note?: string) => void): void {
  if (server.kind === 'pouchdb')
    skip(`index views need real CouchDB's raw collation; this is ${server.description}`);
}

/** Rows CouchDB read for one answer: `_all_docs` and view rows, `/queries` results summed. */
function rowsRead(exchange: Exchange): number {
  const body = JSON.parse(exchange.body) as {
    rows?: unknown[];
    results?: Array<{ rows: unknown[] }>;
  };
  return body.rows?.length ?? (body.results ?? []).reduce((n, r) => n + r.rows.length, 0);
}

beforeAll(async () => {
  server = await useCouchServer();
  proxy = await startRecordingProxy(server.url);
  db = connect(proxy.url);
  const items = Array.from({ length: DOCUMENTS }, (_, i) => ({
    id: `doc-${String(i).padStart(5, '0')}`,
    doc: { status: `status-${i % 10}`, created: 1_700_000_000 + ((i * 7919) % DOCUMENTS) },
  }));
  // Loaded directly: the proxy is there to watch the queries.
  const loader = connect();
  try {
    const results = await loader.saveMany(collection, items);
    expect(results.filter((result) => 'error' in result)).toEqual([]);
  } finally {
    await loader.close();
  }
});
afterAll(async () => {
  await db?.close();
  await proxy?.close();
  await server?.close();
});

describe('an indexed query', () => {
  it('is refused with 400 index_required before ensureIndex, and runs after it', async () => {
    await expectDatabaseError(
      db.find(collection, { ...query, requireIndex: true }),
      'index_required',
      {
        collection,
      },
    );
    await db.ensureIndex(collection, { fields });
    const page = await db.find(collection, { ...query, requireIndex: true });
    expect(page.documents).toHaveLength(20);
  });

  it('reads one page of the index view per page, where the unindexed query reads every document', async ({
    skip,
  }) => {
    onRealCouchDb(skip);
    await db.ensureIndex(collection, { fields });
    const view = `/${collection}/${designId(fields)}/_view/find`;
    const first = await proxy.record(() => db.find(collection, query));
    expect(first.exchanges.map((e) => [e.method, e.path])).toEqual([['POST', view]]);
    expect(rowsRead(first.exchanges[0] as Exchange)).toBe(21);
    const second = await proxy.record(() =>
      db.find(collection, { ...query, cursor: first.result.nextCursor }),
    );
    expect(second.exchanges.map((e) => e.path)).toEqual([view]);
    // The cursor's own row and the 21 after it: keyset paging, no skip.
    expect(rowsRead(second.exchanges[0] as Exchange)).toBe(22);
    expect(second.exchanges[0]?.path).not.toMatch(/skip/);

    const fresh = connect(proxy.url);
    try {
      const scan = await proxy.record(() => fresh.find(collection, query));
      expect(scan.result).toEqual(first.result);
      expect(scan.exchanges.every((e) => e.path.includes('/_all_docs'))).toBe(true);
      expect(scan.exchanges.reduce((n, e) => n + rowsRead(e), 0)).toBeGreaterThanOrEqual(DOCUMENTS);
    } finally {
      await fresh.close();
    }
  });

  it('reads every value of an `in` in one request', async ({ skip }) => {
    onRealCouchDb(skip);
    await db.ensureIndex(collection, { fields });
    const { result, exchanges } = await proxy.record(() =>
      db.find(collection, {
        ...query,
        where: [['status', 'in', ['status-1', 'status-2', 'status-3']]],
      }),
    );
    expect(exchanges.map((e) => e.path)).toEqual([
      `/${collection}/${designId(fields)}/_view/find/queries`,
    ]);
    expect(result.documents.map((doc) => doc.created)).toEqual(
      [...result.documents.map((doc) => doc.created as number)].sort((a, b) => b - a),
    );
  });
});

describe('the index objects', () => {
  it('are a design document with a raw-collation view that no listing or query shows', async ({
    skip,
  }) => {
    onRealCouchDb(skip);
    const local = randomCollection();
    await db.ensureIndex(local, { fields: ['v'] });
    const design = (await (await raw(`${local}/${designPath(designId(['v']))}`)).json()) as {
      views: { find: { options: unknown } };
    };
    expect(design.views.find.options).toEqual({ collation: 'raw' });
    await db.save(local, 'only', { v: 1 });
    const allDocs = (await (await raw(`${local}/_all_docs`)).json()) as {
      rows: Array<{ id: string }>;
    };
    expect(allDocs.rows.map((row) => row.id).sort()).toEqual([designId(['v']), 'only'].sort());
    const ids = (docs: Array<{ _id: string }>) => docs.map((doc) => doc._id);
    expect(ids((await db.list(local)).documents)).toEqual(['only']);
    expect(ids(await db.listAll(local))).toEqual(['only']);
    expect(ids((await db.find(local)).documents)).toEqual(['only']);
    expect(ids((await db.find(local, { orderBy: { field: 'v' } })).documents)).toEqual(['only']);
  });

  it('are made once: concurrent ensureIndex calls from several services agree', async ({
    skip,
  }) => {
    onRealCouchDb(skip);
    const local = randomCollection();
    const services = [connect(), connect(), connect()];
    try {
      await Promise.all(
        services.flatMap((service) => [
          service.ensureIndex(local, { fields: ['a', 'b'] }),
          service.ensureIndex(local, { fields: ['b'] }),
        ]),
      );
      const designs = (await (
        await raw(`${local}/_all_docs?startkey="_design/"&endkey="_design0"`)
      ).json()) as { rows: Array<{ id: string; value: { rev: string } }> };
      expect(designs.rows.map((row) => row.id).sort()).toEqual(
        [designId(['a', 'b']), designId(['b'])].sort(),
      );
      expect(designs.rows.every((row) => row.value.rev.startsWith('1-'))).toBe(true);
    } finally {
      await Promise.all(services.map((service) => service.close()));
    }
  });

  it('answer correctly after the design document was deleted behind the service', async ({
    skip,
  }) => {
    onRealCouchDb(skip);
    const local = randomCollection();
    await db.ensureIndex(local, { fields: ['v'] });
    await db.saveMany(local, [
      { id: 'x', doc: { v: 2 } },
      { id: 'y', doc: { v: 1 } },
    ]);
    const path = `${local}/${designPath(designId(['v']))}`;
    const { _rev } = (await (await raw(path)).json()) as { _rev: string };
    expect((await raw(`${path}?rev=${_rev}`, { method: 'DELETE' })).status).toBe(200);
    const page = await db.find(local, { orderBy: { field: 'v' }, requireIndex: true });
    expect(page.documents.map((doc) => doc._id)).toEqual(['y', 'x']);
  });

  it('answer 503 unavailable when CouchDB cannot be reached', async ({ skip }) => {
    onRealCouchDb(skip);
    const local = randomCollection();
    const gate = await startRecordingProxy(server.url);
    const service = connect(gate.url);
    try {
      await service.ensureIndex(local, { fields: ['v'] });
      await service.save(local, 'x', { v: 1 });
      await gate.close();
      await expectDatabaseError(
        service.find(local, { orderBy: { field: 'v' }, requireIndex: true }),
        'unavailable',
        { collection: local },
      );
    } finally {
      await service.close();
    }
    // The server itself is fine: through another path the query runs.
    const again = await db.find(local, { orderBy: { field: 'v' } });
    expect(again.documents.map((doc) => doc._id)).toEqual(['x']);
  });

  it('are not made, and the call is 503, when CouchDB refuses the credentials', async () => {
    const local = randomCollection();
    const refused = connect(server.url, 'wrong-password');
    try {
      const error = await refused.ensureIndex(local, { fields: ['v'] }).catch((e: unknown) => e);
      expect(isDatabaseError(error) && error.code).toBe('unavailable');
    } finally {
      await refused.close();
    }
    expect((await raw(local)).status).toBe(404);
  });

  it('on the PouchDB stand-in are not made, and indexed queries scan with the same results', async ({
    skip,
  }) => {
    if (server.kind !== 'pouchdb')
      skip(`only for the PouchDB stand-in; this is ${server.description}`);
    const local = randomCollection();
    await db.saveMany(local, [
      { id: 'x', doc: { v: 'a' } },
      { id: 'y', doc: { v: 'B' } },
    ]);
    await db.ensureIndex(local, { fields: ['v'] });
    const { result, exchanges } = await proxy.record(() =>
      db.find(local, { orderBy: { field: 'v' }, requireIndex: true }),
    );
    expect(result.documents.map((doc) => doc._id)).toEqual(['y', 'x']);
    expect(exchanges.every((e) => e.path.includes('/_all_docs'))).toBe(true);
  });
});
