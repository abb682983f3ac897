import {
  DescribeTimeToLiveCommand,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { eventually, expectDatabaseError, randomCollection } from '@gofannon/db-core/conformance';
import {
  type DynamoServer,
  dynamoClientConfig,
  startHttpRequestCounter,
  useDynamoServer,
} from '@gofannon/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbDatabaseService, type DynamoDbOptions } from '../src';
import { TableCreator } from '../src/tables';
import { rawClient } from './support/raw-client';

let server: DynamoServer;
let raw: ReturnType<typeof rawClient>;
const services: DynamoDbDatabaseService[] = [];

beforeAll(async () => {
  server = await useDynamoServer();
  raw = rawClient(server);
});
afterAll(async () => {
  await Promise.all(services.map((service) => service.close()));
  raw?.destroy();
  await server?.close();
});

/** A clock the test moves: no sleeps. */
function testClock(start = Date.now()) {
  let now = start;
  const clock = () => now;
  clock.advance = (ms: number) => {
    now += ms;
  };
  return clock;
}

function service(options: Omit<DynamoDbOptions, 'client'> = {}): DynamoDbDatabaseService {
  const created = new DynamoDbDatabaseService({ client: dynamoClientConfig(server), ...options });
  services.push(created);
  return created;
}

async function rawItem(table: string, id: string) {
  const reply = await raw.send(
    new GetItemCommand({ TableName: table, Key: { _id: { S: id } }, ConsistentRead: true }),
  );
  return reply.Item;
}

const MINUTE = 60_000;

/** Documents in id order: a Scan returns them in DynamoDB's hash order. */
function byId<T extends { _id: string }>(docs: T[]): T[] {
  return [...docs].sort((a, b) => (a._id < b._id ? -1 : 1));
}
/** An instant that is no whole second: its TTL rounds up. */
const AT = Date.UTC(2031, 0, 2, 3, 4, 5, 678);

describe('the TTL attribute', () => {
  it('is epoch seconds rounded up plus an hour, beside the exact milliseconds, on every write path', async () => {
    const db = service();
    const collection = randomCollection();
    await db.save(collection, 'single', { v: 1 }, { expiresAt: AT });
    await db.save(collection, 'created', { v: 1 }, { expiresAt: AT, ifRev: null });
    const { rev } = await db.save(collection, 'conditional', { v: 1 });
    await db.save(collection, 'conditional', { v: 2 }, { expiresAt: AT, ifRev: rev });
    await db.saveMany(collection, [
      { id: 'batched', doc: { v: 1 }, expiresAt: AT },
      { id: 'batch-created', doc: { v: 1 }, expiresAt: AT, ifRev: null },
    ]);
    // A whole second is not rounded.
    await db.save(collection, 'whole', {}, { expiresAt: Date.UTC(2031, 0, 1) });
    for (const id of ['single', 'created', 'conditional', 'batched', 'batch-created']) {
      const item = await rawItem(collection, id);
      expect(item?._ttl, id).toEqual({ N: String(Math.floor(AT / 1000) + 1 + 3600) });
      expect(item?._expiresAtMs, id).toEqual({ N: String(AT) });
    }
    expect((await rawItem(collection, 'whole'))?._ttl).toEqual({
      N: String(Date.UTC(2031, 0, 1) / 1000 + 3600),
    });
    // A save without expiresAt clears both.
    await db.save(collection, 'single', { v: 2 });
    const cleared = await rawItem(collection, 'single');
    expect(cleared?._ttl).toBeUndefined();
    expect(cleared?._expiresAtMs).toBeUndefined();
  });

  it('stays on items written with index keys', async () => {
    const db = service();
    const collection = randomCollection();
    await db.save(collection, 'first', { kind: 'x' });
    await db.ensureIndex(collection, { fields: ['kind'] });
    await db.save(collection, 'indexed', { kind: 'x' }, { expiresAt: AT });
    await db.saveMany(collection, [{ id: 'batched', doc: { kind: 'x' }, expiresAt: AT }]);
    for (const id of ['indexed', 'batched']) {
      const item = (await rawItem(collection, id)) ?? {};
      expect(
        Object.keys(item).some((name) => name.startsWith('_gq')),
        id,
      ).toBe(true);
      expect(item._ttl, id).toEqual({ N: String(Math.ceil(AT / 1000) + 3600) });
    }
  });

  it('is enabled as the TTL of the tables the adapter creates', async () => {
    const db = service();
    const collection = randomCollection();
    await db.save(collection, 'a', {});
    const { TimeToLiveDescription: ttl } = await raw.send(
      new DescribeTimeToLiveCommand({ TableName: collection }),
    );
    expect(ttl).toMatchObject({ AttributeName: '_ttl', TimeToLiveStatus: 'ENABLED' });
    // A writer that finds the table made by someone else waits for it, and leaves TTL be.
    await new TableCreator(raw).ensure(collection, new AbortController().signal);
    await db.ensureIndex(collection, { fields: ['n'] });
    const again = await raw.send(new DescribeTimeToLiveCommand({ TableName: collection }));
    expect(again.TimeToLiveDescription).toMatchObject({ TimeToLiveStatus: 'ENABLED' });
  });

  it('never shows in reads', async () => {
    const db = service();
    const collection = randomCollection();
    await db.ensureIndex(collection, { fields: ['kind'] });
    await db.save(collection, 'a', { kind: 'x' }, { expiresAt: AT });
    await db.saveMany(collection, [{ id: 'b', doc: { kind: 'x' }, expiresAt: AT }]);
    const iso = new Date(AT).toISOString();
    const expected = (id: string) => ({
      _id: id,
      _rev: expect.any(String),
      kind: 'x',
      _expiresAt: iso,
    });
    expect(await db.get(collection, 'a')).toStrictEqual(expected('a'));
    expect(await db.getMany(collection, ['a', 'b'])).toStrictEqual([expected('a'), expected('b')]);
    expect(byId((await db.list(collection)).documents)).toStrictEqual([
      expected('a'),
      expected('b'),
    ]);
    expect(byId(await db.listAll(collection))).toStrictEqual([expected('a'), expected('b')]);
    // A Scan (no index serves a range) and a Query of the index, which lags writes a little.
    expect((await db.find(collection, { where: [['kind', '>', 'w']] })).documents).toStrictEqual([
      expected('a'),
      expected('b'),
    ]);
    await eventually(async () => {
      expect((await db.find(collection, { where: [['kind', '==', 'x']] })).documents).toStrictEqual(
        [expected('a'), expected('b')],
      );
    }, 10_000);
  });
});

describe('conditional writes on the service clock', () => {
  it('write over an expired item, clearing its expiry, and a Python item is unaffected', async () => {
    const clock = testClock();
    const db = service({ clock });
    const collection = randomCollection();
    const old = await db.save(collection, 'doc', { v: 1 }, { expiresAt: clock() + MINUTE });
    // An item another tool wrote: no revision, no expiry.
    await raw.send(
      new PutItemCommand({ TableName: collection, Item: { _id: { S: 'python' }, v: { N: '1' } } }),
    );
    clock.advance(MINUTE);
    // The item is still stored (the server's clock has not passed it), yet it is absent.
    expect(await rawItem(collection, 'doc')).toBeDefined();
    await expectDatabaseError(db.delete(collection, 'doc'), 'not_found');
    await expectDatabaseError(db.delete(collection, 'doc', { ifRev: old.rev }), 'not_found');
    await expectDatabaseError(db.save(collection, 'doc', {}, { ifRev: old.rev }), 'conflict');
    const created = await db.save(collection, 'doc', { v: 2 }, { ifRev: null });
    expect(created.rev).not.toBe(old.rev);
    const item = await rawItem(collection, 'doc');
    expect(item?._ttl).toBeUndefined();
    expect(item?._expiresAtMs).toBeUndefined();
    const python = await db.get(collection, 'python');
    expect(python).toMatchObject({ v: 1 });
    expect(python._expiresAt).toBeUndefined();
    expect(await db.purgeExpired(collection)).toBe(0);
    await db.save(collection, 'python', { v: 2 }, { ifRev: python._rev });
    expect((await db.deleteMany(collection, ['python', 'doc'])).map((r) => 'error' in r)).toEqual([
      false,
      false,
    ]);
  });
});

describe('purgeExpired', () => {
  it('deletes only the expired items, not one saved again after it expired', async () => {
    const clock = testClock();
    const db = service({ clock });
    const collection = randomCollection();
    const expiring = Array.from({ length: 120 }, (_, i) => ({
      id: `gone-${String(i).padStart(3, '0')}`,
      doc: { i },
      expiresAt: clock() + 1,
    }));
    await db.saveMany(collection, [
      ...expiring,
      { id: 'resaved', doc: {}, expiresAt: clock() + 1 },
      { id: 'later', doc: {}, expiresAt: clock() + MINUTE },
      { id: 'never', doc: {} },
    ]);
    clock.advance(1);
    await db.save(collection, 'resaved', { again: true }, { expiresAt: clock() + MINUTE });
    expect(await db.purgeExpired(collection)).toBe(120);
    expect(await db.purgeExpired(collection)).toBe(0);
    expect((await db.listAll(collection)).map((doc) => doc._id).sort()).toEqual([
      'later',
      'never',
      'resaved',
    ]);
    expect(await rawItem(collection, 'gone-000')).toBeUndefined();
    expect(await db.purgeExpired(randomCollection())).toBe(0);
  });

  it('loses to a save between its Scan and its delete', async () => {
    const clock = testClock();
    const collection = randomCollection();
    const writer = service({ clock });
    await writer.save(collection, 'x', { v: 1 }, { expiresAt: clock() });
    const counter = await startHttpRequestCounter(server.endpoint);
    try {
      const purger = new DynamoDbDatabaseService({
        client: { ...dynamoClientConfig(server), endpoint: counter.url },
        clock,
        scanSegments: 1,
      });
      services.push(purger);
      // The Scan passes, the DeleteItem after it is held while the document is saved again.
      counter.hold();
      const purging = purger.purgeExpired(collection);
      await counter.reached(1);
      counter.release();
      counter.hold();
      await counter.reached(2);
      const resaved = await writer.save(collection, 'x', { v: 2 });
      counter.release();
      expect(await purging).toBe(0);
      expect(await writer.get(collection, 'x')).toMatchObject({ v: 2, _rev: resaved.rev });
    } finally {
      await counter.close();
    }
  });

  it('run twice at once, deletes each item once', async () => {
    const clock = testClock();
    const collection = randomCollection();
    const writer = service({ clock });
    await writer.saveMany(
      collection,
      Array.from({ length: 300 }, (_, i) => ({ id: `d${i}`, doc: { i }, expiresAt: clock() })),
    );
    const [one, two] = await Promise.all([
      service({ clock, scanSegments: 2 }).purgeExpired(collection),
      service({ clock, scanSegments: 3 }).purgeExpired(collection),
    ]);
    expect((one ?? 0) + (two ?? 0)).toBe(300);
    expect(await writer.listAll(collection)).toEqual([]);
  });

  it('is 503 when DynamoDB cannot be reached', async () => {
    const db = new DynamoDbDatabaseService({
      client: { ...dynamoClientConfig(server), endpoint: 'http://127.0.0.1:9' },
      timeoutMs: 2_000,
    });
    services.push(db);
    await expectDatabaseError(db.purgeExpired(randomCollection()), 'unavailable');
  });
});
