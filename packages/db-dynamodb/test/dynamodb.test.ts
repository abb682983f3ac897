import { GetItemCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ConfigurationError } from '@gofannon/db-core';
import {
  eventually,
  expectDatabaseError,
  expectStored,
  randomCollection,
} from '@gofannon/db-core/conformance';
import { type DynamoServer, dynamoClientConfig, useDynamoServer } from '@gofannon/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbDatabaseService, type DynamoDbOptions, tableNamer } from '../src';
import { translateDynamoDbError } from '../src/dynamodb-errors';
import { describeTable, documentClient, dropTable, rawClient } from './support/raw-client';

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

function service(options: Omit<DynamoDbOptions, 'client'> = {}): DynamoDbDatabaseService {
  const created = new DynamoDbDatabaseService({ client: dynamoClientConfig(server), ...options });
  services.push(created);
  return created;
}

describe('table names', () => {
  it('pads names shorter than three characters with dots, which no collection name has', () => {
    const plain = tableNamer('');
    expect(['a', 'ab', 'abc', 'ab_', 'a-'].map(plain)).toEqual(['a..', 'ab.', 'abc', 'ab_', 'a-.']);
    expect(tableNamer('p')('a')).toBe('pa.');
    expect(tableNamer('app.')('agents')).toBe('app.agents');
  });

  it('refuses a prefix DynamoDB cannot use in a table name', () => {
    for (const prefix of ['with space', 'slash/', 'ü', 'x'.repeat(192)]) {
      expect(() => tableNamer(prefix)).toThrow(ConfigurationError);
      expect(() => service({ tablePrefix: prefix })).toThrow(/DYNAMODB_TABLE_PREFIX/);
    }
    expect(tableNamer('x'.repeat(191))('c'.repeat(64))).toHaveLength(255);
  });

  it('stores short collection names in their own padded tables', async () => {
    await dropTable(raw, 'a..');
    await dropTable(raw, 'ab.');
    const db = service();
    await db.save('a', 'one', { in: 'a' });
    await db.save('ab', 'one', { in: 'ab' });
    expect((await describeTable(raw, 'a..'))?.TableStatus).toBe('ACTIVE');
    expect((await describeTable(raw, 'ab.'))?.TableStatus).toBe('ACTIVE');
    expect((await db.get('a', 'one')).in).toBe('a');
    expect((await db.get('ab', 'one')).in).toBe('ab');
  });
});

describe('tables', () => {
  it('reads create no table; the first write creates it with _id as string hash key, on demand', async () => {
    const db = service({ tablePrefix: 'lazy_' });
    const collection = randomCollection();
    const table = `lazy_${collection}`;
    await expectDatabaseError(db.get(collection, 'a'), 'not_found');
    expect(await db.getMany(collection, ['a'])).toEqual([null]);
    expect(await db.list(collection)).toEqual({ documents: [], nextCursor: null });
    expect(await db.listAll(collection)).toEqual([]);
    await expectDatabaseError(db.delete(collection, 'a'), 'not_found');
    await expectDatabaseError(db.delete(collection, 'a', { ifRev: 'x' }), 'not_found');
    expect(await db.deleteMany(collection, ['a'])).toMatchObject([
      { id: 'a', error: { code: 'not_found' } },
    ]);
    await expectDatabaseError(db.save(collection, 'a', {}, { ifRev: 'some-rev' }), 'conflict');
    const saved = await db.saveMany(collection, [{ id: 'a', doc: {}, ifRev: 'some-rev' }]);
    expect(saved).toMatchObject([{ id: 'a', error: { code: 'conflict' } }]);
    expect(await describeTable(raw, table)).toBeUndefined();

    await db.save(collection, 'a', { v: 1 });
    const description = await describeTable(raw, table);
    expect(description?.KeySchema).toEqual([{ AttributeName: '_id', KeyType: 'HASH' }]);
    expect(description?.AttributeDefinitions).toEqual([
      { AttributeName: '_id', AttributeType: 'S' },
    ]);
    expect(description?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
  });

  it('creates a table once when many writers, in several services, race to create it', async () => {
    const collection = randomCollection();
    const writers = Array.from({ length: 6 }, () => service());
    const results = await Promise.all(
      writers.flatMap((db, i) => [
        db.save(collection, `single-${i}`, { i }),
        db.saveMany(collection, [{ id: `batch-${i}`, doc: { i } }]),
        db.save(collection, `create-${i}`, { i }, { ifRev: null }),
      ]),
    );
    expect(results).toHaveLength(18);
    expect(await writers[0]?.listAll(collection)).toHaveLength(18);
  });
});

describe('layout', () => {
  it('stores the fields as native top-level attributes beside _id and _rev', async () => {
    const db = service();
    const collection = randomCollection();
    const { rev } = await db.save(collection, 'doc-1', {
      name: 'Ada',
      count: 3,
      ratio: 0.25,
      active: true,
      nothing: null,
      tags: ['x', 1],
      nested: { deep: { list: [[]] } },
    });
    const { Item } = await raw.send(
      new GetItemCommand({
        TableName: collection,
        Key: { _id: { S: 'doc-1' } },
        ConsistentRead: true,
      }),
    );
    expect(Item).toEqual({
      _id: { S: 'doc-1' },
      _rev: { S: rev },
      name: { S: 'Ada' },
      count: { N: '3' },
      ratio: { N: '0.25' },
      active: { BOOL: true },
      nothing: { NULL: true },
      tags: { L: [{ S: 'x' }, { N: '1' }] },
      nested: { M: { deep: { M: { list: { L: [{ L: [] }] } } } } },
    });
    const { Item: plain } = await documentClient(raw).send(
      new GetCommand({ TableName: collection, Key: { _id: 'doc-1' } }),
    );
    expect(plain).toMatchObject({ _id: 'doc-1', name: 'Ada', tags: ['x', 1] });
  });

  it('reads and updates items another tool wrote without a revision attribute', async () => {
    const db = service();
    const collection = randomCollection();
    await db.save(collection, 'ours', {});
    const python = documentClient(raw);
    const foreign = {
      _id: 'py-1',
      name: 'agent',
      price: 1.5,
      tags: new Set(['b', 'a']),
      code: 'x',
    };
    await python.send(new PutCommand({ TableName: collection, Item: foreign }));

    const read = await db.get(collection, 'py-1');
    expect(read._rev).toMatch(/^legacy-/);
    expect((await db.get(collection, 'py-1'))._rev).toBe(read._rev);
    expect({ ...read, tags: [...(read.tags as string[])].sort() }).toEqual({
      _id: 'py-1',
      _rev: read._rev,
      name: 'agent',
      price: 1.5,
      tags: ['a', 'b'],
      code: 'x',
    });
    expect((await db.listAll(collection)).map((doc) => doc._id).sort()).toEqual(['ours', 'py-1']);

    // The tool writes again: the revision follows the content.
    await python.send(new PutCommand({ TableName: collection, Item: { ...foreign, code: 'y' } }));
    const changed = await db.get(collection, 'py-1');
    expect(changed._rev).not.toBe(read._rev);

    const { rev } = await db.save(collection, 'py-1', { name: 'updated' }, { ifRev: changed._rev });
    expectStored(await db.get(collection, 'py-1'), { name: 'updated' }, 'py-1', rev);
    await expectDatabaseError(db.save(collection, 'py-1', {}, { ifRev: changed._rev }), 'conflict');

    await python.send(new PutCommand({ TableName: collection, Item: { _id: 'py-2', v: 1 } }));
    await db.save(collection, 'py-2', { v: 2 });
    expect((await db.get(collection, 'py-2')).v).toBe(2);
    await python.send(new PutCommand({ TableName: collection, Item: { _id: 'py-3', v: 1 } }));
    await db.delete(collection, 'py-3', { ifRev: (await db.get(collection, 'py-3'))._rev });
    await expectDatabaseError(db.get(collection, 'py-3'), 'not_found');
  });
});

describe('sizes and values', () => {
  it('an item over 400 KB as DynamoDB counts it is 413, alone in saveMany too', async () => {
    const db = service();
    const collection = randomCollection();
    // 240 KB of JSON, under maxDocumentBytes, but about 420 KB as DynamoDB counts lists.
    const dense = { list: Array.from({ length: 60_000 }, () => [1]) };
    expect(JSON.stringify(dense).length).toBeLessThan(db.capabilities.maxDocumentBytes);
    const { rev } = await db.save(collection, 'kept', { small: true });
    await expectDatabaseError(db.save(collection, 'kept', dense), 'too_large', {
      collection,
      id: 'kept',
    });
    expect((await db.get(collection, 'kept'))._rev).toBe(rev);
    const results = await db.saveMany(collection, [
      { id: 'dense', doc: dense },
      { id: 'small', doc: { ok: 1 } },
    ]);
    expect(results[0]).toMatchObject({ id: 'dense', error: { code: 'too_large', status: 413 } });
    expect(results[1]).toMatchObject({ id: 'small', rev: expect.any(String) });
    await expectDatabaseError(db.get(collection, 'dense'), 'not_found');
  });

  it('numbers round-trip exactly and are stored as their shortest decimal', async () => {
    const db = service();
    const collection = randomCollection();
    const numbers = {
      maxSafe: Number.MAX_SAFE_INTEGER,
      beyondSafe: 2 ** 53 + 2,
      sum: 0.1 + 0.2,
      third: 1 / 3,
      tiny: 1e-130,
      huge: -9.999999999999998e125,
      negativeZero: -0,
      manyDigits: 123456789.12345678,
    };
    await db.save(collection, 'n', numbers);
    const stored = await db.get(collection, 'n');
    expectStored(stored, numbers, 'n');
    expect(Object.is(stored.negativeZero, 0)).toBe(true);
    const { Item } = await raw.send(
      new GetItemCommand({ TableName: collection, Key: { _id: { S: 'n' } }, ConsistentRead: true }),
    );
    expect(Number(Item?.sum?.N)).toBe(0.1 + 0.2);
    expect(Item?.beyondSafe?.N).toBe('9007199254740994');
  });

  it('numbers and field names DynamoDB cannot hold are 400 naming the path', async () => {
    const db = service();
    const collection = randomCollection();
    const refused: Array<[object, string]> = [
      [{ a: { b: 1e126 } }, '/a/b'],
      [{ list: [5e-324] }, '/list/0'],
      [{ a: Number.MAX_VALUE }, '/a'],
      [{ nested: { '': 1 } }, '/nested/'],
      [{ '': 1 }, '/'],
    ];
    for (const [doc, path] of refused) {
      const error = await expectDatabaseError(db.save(collection, 'x', doc), 'invalid');
      expect((error as { path?: string }).path).toBe(path);
    }
    expect(db.capabilities).toMatchObject({ emptyFieldNames: false, maxNestingDepth: 32 });
  });
});

describe('outages', () => {
  it('an endpoint that does not answer is 503 within the timeout', async () => {
    const db = new DynamoDbDatabaseService({
      client: { ...dynamoClientConfig(server), endpoint: 'http://127.0.0.1:9' },
      timeoutMs: 2_000,
    });
    services.push(db);
    const started = Date.now();
    await expectDatabaseError(db.ping(), 'unavailable');
    await expectDatabaseError(db.save(randomCollection(), 'a', {}), 'unavailable');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it.skipIf(process.env.DYNAMODB_ENDPOINT_URL !== undefined)(
    'a stopped and restarted endpoint gives 503, then the same service works again',
    async () => {
      const db = service({ timeoutMs: 5_000 });
      const collection = randomCollection();
      await db.save(collection, 'before', { v: 1 });
      await server.stop();
      try {
        const started = Date.now();
        await expectDatabaseError(db.get(collection, 'before'), 'unavailable');
        const [item] = await db.saveMany(collection, [{ id: 'x', doc: {} }]);
        expect(item).toMatchObject({ id: 'x', error: { code: 'unavailable' } });
        expect(Date.now() - started).toBeLessThan(2 * 5_000);
      } finally {
        await server.restart();
      }
      // A restarted JVM answers slowly at first.
      await eventually(() => db.ping(), 60_000);
      // DynamoDB Local ran in memory: the table is gone, and the next write creates it again.
      await db.save(collection, 'after', { v: 2 });
      expect((await db.listAll(collection)).map((doc) => doc._id)).toEqual(['after']);
      expect((await raw.send(new ListTablesCommand({}))).TableNames).toContain(collection);
    },
  );

  it('maps throttling to 503 and refused credentials to 503 with a hint', () => {
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'ProvisionedThroughputExceededException',
    });
    expect(translateDynamoDbError(throttled, { collection: 'c' })).toMatchObject({
      status: 503,
      collection: 'c',
    });
    const denied = Object.assign(new Error('no'), { name: 'UnrecognizedClientException' });
    expect(translateDynamoDbError(denied, {})?.message).toMatch(/AWS credentials/);
    expect(translateDynamoDbError(new Error('plain'), {})).toBeUndefined();
  });
});
