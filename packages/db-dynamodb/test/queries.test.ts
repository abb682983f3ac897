import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  compareScalars,
  type DatabaseService,
  isDatabaseError,
  type JsonScalar,
  type Query,
} from '@gofannon/db-core';
import { randomCollection } from '@gofannon/db-core/conformance';
import { type DynamoServer, dynamoClientConfig, useDynamoServer } from '@gofannon/test-support';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbDatabaseService } from '../src';
import { documentClient, rawClient } from './support/raw-client';

let server: DynamoServer;
let raw: DynamoDBClient;
const services: DatabaseService[] = [];
beforeAll(async () => {
  server = await useDynamoServer();
  raw = rawClient(server);
});
afterEach(async () => {
  await Promise.all(services.splice(0).map((service) => service.close()));
});
afterAll(async () => {
  raw?.destroy();
  await server?.close();
});

/** A service with a short index refresh, so that ensureIndex waits little. */
function service(indexRefreshMs = 200): DatabaseService {
  const made = new DynamoDbDatabaseService({
    client: dynamoClientConfig(server),
    timeoutMs: 20_000,
    indexRefreshMs,
    // DynamoDB Local's TTL sweeper slows its index builds; these tests are about indexes.
    timeToLive: false,
  });
  services.push(made);
  return made;
}

/** Every page of a query, following its cursors. */
async function walk(db: DatabaseService, collection: string, query: Query): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await db.find(collection, { ...query, cursor });
    expect(page.documents.length).toBeLessThanOrEqual(query.limit ?? 100);
    ids.push(...page.documents.map((doc) => doc._id));
    cursor = page.nextCursor;
  } while (cursor !== null);
  return ids;
}

/** Items of the table that carry the keys of an index (a sort-key attribute of ours). */
async function keyedItems(table: string): Promise<number> {
  let keyed = 0;
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await raw.send(new ScanCommand({ TableName: table, ExclusiveStartKey: startKey }));
    for (const item of page.Items ?? []) {
      if (Object.keys(item).some((name) => name.startsWith('_gq') && name.endsWith('s'))) keyed++;
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return keyed;
}

/** Checks a query walk until it converges within the bound the adapter declares. */
async function converges(check: () => Promise<void>, db: DatabaseService): Promise<void> {
  const queries = db.capabilities.queries;
  const bound = queries && !queries.consistent ? queries.convergenceMs : 0;
  const deadline = Date.now() + bound;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
  }
}

describe('find on DynamoDB', () => {
  it('declares that indexed queries converge within a bound', () => {
    expect(service().capabilities.queries).toEqual({ consistent: false, convergenceMs: 5_000 });
  });

  it('orders every type by an index as core does: types, numbers numerically, strings by code point', async () => {
    const db = service();
    const collection = randomCollection();
    const values: JsonScalar[] = [
      'é',
      '\u{10000}',
      '\uE000',
      '\uFFFF',
      'B',
      'a',
      '',
      'a\u0000',
      'a\u0001',
      'a\u0002',
      '\u0000',
      true,
      false,
      null,
      -1e125,
      -2.5,
      -1,
      -5e-130,
      0,
      5e-130,
      1,
      1.5,
      2,
      10,
      9.999999999999998e125,
    ];
    await db.saveMany(
      collection,
      values.map((v, i) => ({ id: `d${String(i).padStart(2, '0')}`, doc: { v, kind: 'x' } })),
    );
    // Documents the index leaves out: no scalar at the field.
    await db.save(collection, 'array', { v: [1], kind: 'x' });
    await db.save(collection, 'object', { v: { a: 1 }, kind: 'x' });
    await db.save(collection, 'none', { kind: 'x' });
    await db.ensureIndex(collection, { fields: ['kind', 'v'] });
    const expected = values
      .map((v, i) => ({ v, id: `d${String(i).padStart(2, '0')}` }))
      .sort((a, b) => compareScalars(a.v, b.v))
      .map((each) => each.id);
    const query: Query = {
      where: [['kind', '==', 'x']],
      orderBy: { field: 'v' },
      limit: 4,
      requireIndex: true,
    };
    await converges(async () => expect(await walk(db, collection, query)).toEqual(expected), db);
    await converges(
      async () =>
        expect(
          await walk(db, collection, { ...query, orderBy: { field: 'v', direction: 'desc' } }),
        ).toEqual([...expected].reverse()),
      db,
    );
    // Ranges keep to their bound's type.
    await converges(
      async () =>
        expect(
          await walk(db, collection, {
            ...query,
            where: [
              ['kind', '==', 'x'],
              ['v', '>', -1],
              ['v', '<=', 2],
            ],
          }),
        ).toEqual(
          expected.filter((id) =>
            [-5e-130, 0, 5e-130, 1, 1.5, 2].includes(valueOfId(id) as number),
          ),
        ),
      db,
    );
    function valueOfId(id: string): JsonScalar {
      return values[Number(id.slice(1))] as JsonScalar;
    }
  });

  it('orders and matches strings too long for a key, whatever their ids', async () => {
    const db = service();
    const collection = randomCollection();
    const prefix = 'x'.repeat(300);
    // Id order runs against value order inside the block of values that share a cut key.
    const docs = [
      { id: 'a', v: `${prefix}e` },
      { id: 'b', v: `${prefix}d` },
      { id: 'c', v: `${prefix}c` },
      { id: 'd', v: `${prefix}b` },
      { id: 'e', v: `${prefix}a` },
      { id: 'f', v: prefix.slice(0, 100) },
      { id: 'g', v: 'y' },
    ];
    await db.saveMany(
      collection,
      docs.map(({ id, v }) => ({ id, doc: { v, name: v, kind: 'long' } })),
    );
    await db.ensureIndex(collection, { fields: ['kind', 'v'] });
    await db.ensureIndex(collection, { fields: ['name', 'kind'] });
    const byValue: Query = {
      where: [['kind', '==', 'long']],
      orderBy: { field: 'v' },
      limit: 2,
      requireIndex: true,
    };
    await converges(
      async () =>
        expect(await walk(db, collection, byValue)).toEqual(['f', 'e', 'd', 'c', 'b', 'a', 'g']),
      db,
    );
    await converges(
      async () =>
        expect(
          await walk(db, collection, {
            ...byValue,
            where: [...(byValue.where ?? []), ['v', '>', `${prefix}b`]],
          }),
        ).toEqual(['c', 'b', 'a', 'g']),
      db,
    );
    // Equality on a value whose partition key is cut finds exactly that value.
    await converges(
      async () =>
        expect(
          await walk(db, collection, {
            where: [
              ['name', '==', `${prefix}c`],
              ['kind', '==', 'long'],
            ],
            requireIndex: true,
          }),
        ).toEqual(['c']),
      db,
    );
  });

  it('keeps its index keys out of every document callers read', async () => {
    const db = service();
    const collection = randomCollection();
    await db.ensureIndex(collection, { fields: ['status'] });
    await db.save(collection, 'one', { status: 'open', n: 1 });
    await db.saveMany(collection, [{ id: 'two', doc: { status: 'open', n: 2 } }]);
    const stored = await raw.send(
      new GetItemCommand({ TableName: collection, Key: { _id: { S: 'one' } } }),
    );
    const shadow = Object.keys(stored.Item ?? {}).filter((name) => name.startsWith('_gq'));
    expect(shadow, 'the item carries the index keys').toHaveLength(2);
    const seen = [
      await db.get(collection, 'one'),
      ...(await db.getMany(collection, ['one', 'two'])),
      ...(await db.listAll(collection)),
      ...(await db.list(collection)).documents,
      ...(await db.find(collection, { where: [['n', '>', 0]] })).documents,
    ];
    await converges(async () => {
      const found = await db.find(collection, {
        where: [['status', '==', 'open']],
        requireIndex: true,
      });
      expect(found.documents.map((doc) => doc._id)).toEqual(['one', 'two']);
      seen.push(...found.documents);
    }, db);
    for (const doc of seen) {
      expect(Object.keys(doc ?? {}).sort()).toEqual(['_id', '_rev', 'n', 'status']);
    }
  });

  it('finds items the Python service wrote, after the backfill, with their revisions unchanged', async () => {
    const db = service();
    const collection = randomCollection();
    await db.save(collection, 'ours', { owner: 'ann', at: 3 });
    const python = documentClient(raw);
    for (const [id, at] of [
      ['py1', 2],
      ['py2', 1],
    ] as const) {
      await python.send(
        new PutCommand({ TableName: collection, Item: { _id: id, owner: 'ann', at } }),
      );
    }
    await python.send(
      new PutCommand({ TableName: collection, Item: { _id: 'py3', owner: 'bob', at: 0 } }),
    );
    const before = await db.getMany(collection, ['py1', 'py2']);
    await db.ensureIndex(collection, { fields: ['owner', 'at'] });
    const query: Query = {
      where: [['owner', '==', 'ann']],
      orderBy: { field: 'at' },
      requireIndex: true,
    };
    await converges(
      async () => expect(await walk(db, collection, query)).toEqual(['py2', 'py1', 'ours']),
      db,
    );
    expect(await db.getMany(collection, ['py1', 'py2']), 'the backfill is no change').toEqual(
      before,
    );
    // Saved through the adapter with the legacy revision it read: a normal conditional write.
    await db.save(collection, 'py1', { owner: 'ann', at: 9 }, { ifRev: before[0]?._rev ?? '' });
    await converges(
      async () => expect(await walk(db, collection, query)).toEqual(['py2', 'ours', 'py1']),
      db,
    );
  });

  it('sees the writes of a service that never called ensureIndex, once it knows the index', async () => {
    const maker = service();
    const writer = service();
    const collection = randomCollection();
    // The writer has looked at the table before the index existed.
    await writer.save(collection, 'early', { tag: 'k', n: 1 });
    await maker.ensureIndex(collection, { fields: ['tag', 'n'] });
    await writer.save(collection, 'late', { tag: 'k', n: 2 });
    await writer.saveMany(collection, [{ id: 'batch', doc: { tag: 'k', n: 3 } }]);
    const query: Query = {
      where: [['tag', '==', 'k']],
      orderBy: { field: 'n' },
      requireIndex: true,
    };
    await converges(
      async () => expect(await walk(maker, collection, query)).toEqual(['early', 'late', 'batch']),
      maker,
    );
  });

  it('backfills while others write, and every write ends up in the index', async () => {
    const db = service();
    const writer = service();
    const collection = randomCollection();
    await db.saveMany(
      collection,
      Array.from({ length: 200 }, (_, i) => ({ id: `old${i}`, doc: { g: 'a', n: i } })),
    );
    let writing = true;
    let building = true;
    let written = 0;
    // DynamoDB Local (not the real service) now and then answers a write with 500
    // InternalFailure while a GSI is being created, which the adapter reports as 503:
    // the writer tries again, as an application would, for as long as the build runs (a
    // count of tries alone ran out within one spell of failures once the client got
    // faster), and a few times after it.
    const save = async (id: string, doc: object) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await writer.save(collection, id, doc);
        } catch (error) {
          const busy = isDatabaseError(error) && error.status === 503;
          if (!busy || (!building && attempt >= 10)) throw error;
        }
      }
    };
    const writes = (async () => {
      while (writing && written < 150) {
        await save(`new${written}`, { g: 'a', n: 1000 + written });
        // Rewrite an old document: moved out of the query.
        await save(`old${written}`, { g: 'b', n: written });
        written++;
      }
    })();
    // Settled at once, so a failing writer fails the test, not the run.
    writes.catch(() => {});
    try {
      await db.ensureIndex(collection, { fields: ['g', 'n'] });
    } finally {
      building = false;
    }
    writing = false;
    await writes;
    const expected = [
      ...Array.from({ length: 200 - written }, (_, i) => `old${i + written}`),
      ...Array.from({ length: written }, (_, i) => `new${i}`),
    ];
    expect(written, 'writes ran during the build').toBeGreaterThan(0);
    await converges(
      async () =>
        expect(
          await walk(db, collection, {
            where: [['g', '==', 'a']],
            orderBy: { field: 'n' },
            limit: 50,
            requireIndex: true,
          }),
        ).toEqual(expected),
      db,
    );
  });

  it('stops a backfill when its caller aborts, and the next ensureIndex finishes it', async () => {
    const db = service();
    const collection = randomCollection();
    const count = 1500;
    await db.saveMany(
      collection,
      Array.from({ length: count }, (_, i) => ({
        id: `d${String(i).padStart(4, '0')}`,
        doc: { k: 'v', n: i },
      })),
    );
    const caller = new AbortController();
    const first = db.ensureIndex(collection, { fields: ['k', 'n'] }, { signal: caller.signal });
    let settled = false;
    first.then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    // Abort once the backfill has given some items their keys, and before it has all
    // (1,500 conditional updates take far longer than one Scan of the table).
    let keyed = 0;
    while (keyed === 0 && !settled) keyed = await keyedItems(collection);
    caller.abort();
    expect(keyed, 'the backfill had begun').toBeGreaterThan(0);
    const error = await first.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isDatabaseError(error) && error.code, 'the aborted call').toBe('unavailable');
    expect(keyed).toBeLessThan(count);
    await db.ensureIndex(collection, { fields: ['k', 'n'] });
    expect(await keyedItems(collection)).toBe(count);
    const query: Query = {
      where: [['k', '==', 'v']],
      orderBy: { field: 'n' },
      limit: 1000,
      requireIndex: true,
    };
    await converges(async () => expect((await walk(db, collection, query)).length).toBe(count), db);
  });

  it('fills pages of a scan whose filter matches few items, in id order', async () => {
    const db = service();
    const collection = randomCollection();
    await db.saveMany(
      collection,
      Array.from({ length: 300 }, (_, i) => ({
        id: `i${String(i).padStart(3, '0')}`,
        doc: { rare: i % 60 === 7, n: i },
      })),
    );
    const pages: number[] = [];
    let cursor: string | null = null;
    do {
      const page = await db.find(collection, { where: [['rare', '==', true]], limit: 2, cursor });
      pages.push(page.documents.length);
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(pages).toEqual([2, 2, 1]);
    expect(await walk(db, collection, { where: [['rare', '==', true]], limit: 2 })).toEqual([
      'i007',
      'i067',
      'i127',
      'i187',
      'i247',
    ]);
  });

  it('answers in queries from several slices of the index, merged in order', async () => {
    const db = service();
    const collection = randomCollection();
    await db.saveMany(
      collection,
      Array.from({ length: 40 }, (_, i) => ({
        id: `t${String(i).padStart(2, '0')}`,
        doc: { status: ['open', 'closed', 'held', 'done'][i % 4], at: 100 - i },
      })),
    );
    await db.ensureIndex(collection, { fields: ['status', 'at'] });
    await db.ensureIndex(collection, { fields: ['status'] });
    const expected = Array.from({ length: 40 }, (_, i) => i)
      .filter((i) => i % 4 !== 1)
      .sort((a, b) => b - a)
      .map((i) => `t${String(i).padStart(2, '0')}`);
    await converges(
      async () =>
        expect(
          await walk(db, collection, {
            where: [['status', 'in', ['open', 'held', 'done', 'open']]],
            orderBy: { field: 'at' },
            limit: 7,
            requireIndex: true,
          }),
        ).toEqual(expected),
      db,
    );
    // An equality-only index: ordered by the equality field, then by id.
    await converges(
      async () =>
        expect(
          await walk(db, collection, {
            where: [['status', 'in', ['open', 'done']]],
            orderBy: { field: 'status', direction: 'desc' },
            limit: 3,
            requireIndex: true,
          }),
        ).toEqual(
          [
            ...expected.filter((id) => Number(id.slice(1)) % 4 === 3).sort(),
            ...expected.filter((id) => Number(id.slice(1)) % 4 === 0).sort(),
          ].reverse(),
        ),
      db,
    );
  });

  it('refuses an index whose field names are too long for a DynamoDB index name', async () => {
    const db = service();
    const collection = randomCollection();
    const error = await db
      .ensureIndex(collection, { fields: ['f'.repeat(100), 'g'.repeat(100)] })
      .catch((e: unknown) => e);
    expect(isDatabaseError(error) && error.code).toBe('invalid');
    expect((error as Error).message).toMatch(/index name/);
  });
});
