import { expectDatabaseError, randomCollection } from '@gofannon/db-core/conformance';
import { type PostgresServer, usePostgresServer } from '@gofannon/test-support';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresDatabaseService } from '../src';

let server: PostgresServer;
let raw: pg.Client;

beforeAll(async () => {
  server = await usePostgresServer();
  raw = new pg.Client({ connectionString: server.url });
  await raw.connect();
});
afterAll(async () => {
  await raw?.end();
  await server?.close();
});

const MINUTE = 60_000;

function service(clock: () => number = Date.now) {
  return new PostgresDatabaseService({
    connection: { connectionString: server.url },
    timeoutMs: 5_000,
    clock,
  });
}

/** Each row's expiry column as epoch ms (null: never), by id. */
async function expiries(table: string): Promise<Record<string, number | null>> {
  const result = await raw.query(`SELECT id, expires_at FROM "${table}" ORDER BY id`);
  return Object.fromEntries(
    result.rows.map((row) => [row.id, row.expires_at === null ? null : Number(row.expires_at)]),
  );
}

async function expiryColumn(table: string) {
  const column = await raw.query(
    `SELECT data_type, is_nullable FROM information_schema.columns
     WHERE table_name = $1 AND column_name = 'expires_at'`,
    [table],
  );
  const index = await raw.query(
    `SELECT indexdef FROM pg_indexes WHERE tablename = $1 AND indexdef LIKE '%(expires_at)%'`,
    [table],
  );
  return { column: column.rows[0], indexes: index.rows.map((row) => row.indexdef as string) };
}

/** A table as versions before expiry made it, with two documents in it. */
async function oldTable(table: string): Promise<void> {
  await raw.query(
    `CREATE TABLE "${table}" (id text COLLATE "C" PRIMARY KEY, rev text NOT NULL, doc jsonb NOT NULL)`,
  );
  await raw.query(
    `INSERT INTO "${table}" VALUES ('old-1', '1-0123456789abcdef', '{"v":1}'),
       ('old-2', '3-fedcba9876543210', '{"v":2}')`,
  );
}

describe('the expiry column', () => {
  it('is a nullable bigint with a partial index, written by every save path', async () => {
    const now = Date.now();
    const db = service(() => now);
    const collection = randomCollection();
    const at = now + MINUTE;
    await db.save(collection, 'save', {}, { expiresAt: at });
    await db.save(collection, 'create', {}, { expiresAt: at + 1, ifRev: null });
    const { rev } = await db.save(collection, 'update', {});
    await db.save(collection, 'update', {}, { expiresAt: at + 2, ifRev: rev });
    await db.save(collection, 'cleared', {}, { expiresAt: at });
    await db.save(collection, 'cleared', {});
    // The first chunk of plain upserts runs as the upsert, the next as the bulk INSERT.
    await db.saveMany(collection, [
      { id: 'many-upsert', doc: {}, expiresAt: at + 3 },
      { id: 'many-upsert-never', doc: {} },
    ]);
    await db.saveMany(collection, [{ id: 'many-insert', doc: {}, expiresAt: at + 4 }]);
    await db.saveMany(collection, [
      { id: 'many-create', doc: {}, expiresAt: at + 5, ifRev: null },
      { id: 'many-upserted', doc: {}, expiresAt: at + 6 },
    ]);
    expect(await expiries(collection)).toEqual({
      cleared: null,
      create: at + 1,
      'many-create': at + 5,
      'many-insert': at + 4,
      'many-upsert': at + 3,
      'many-upsert-never': null,
      'many-upserted': at + 6,
      save: at,
      update: at + 2,
    });
    const { column, indexes } = await expiryColumn(collection);
    expect(column).toEqual({ data_type: 'bigint', is_nullable: 'YES' });
    expect(indexes).toHaveLength(1);
    expect(indexes[0]).toMatch(/\(expires_at\) WHERE \(expires_at IS NOT NULL\)$/);
    // Named as the README tells someone who makes it by hand to compute.
    const named = await raw.query(
      `SELECT $1 || '$expires_at$' || left(encode(sha256(convert_to($2, 'UTF8')), 'hex'), 12) AS name`,
      [collection, JSON.stringify(['expiry', collection, ['expires_at']])],
    );
    expect(indexes[0]).toContain(`INDEX "${named.rows[0].name}" ON`);
    await db.close();
  });

  it("decides by the service's clock, not the server's", async () => {
    // An hour behind the server: a document that expired by the server's time lives on.
    const now = Date.now() - 60 * MINUTE;
    const db = service(() => now);
    const collection = randomCollection();
    const { rev } = await db.save(collection, 'doc', { v: 1 }, { expiresAt: now + MINUTE });
    await expectDatabaseError(db.save(collection, 'doc', { v: 2 }, { ifRev: null }), 'conflict');
    const saved = await db.save(collection, 'doc', { v: 3 }, { ifRev: rev, expiresAt: now + 1 });
    expect(await db.purgeExpired(collection)).toBe(0);
    await db.delete(collection, 'doc', { ifRev: saved.rev });
    await db.close();
  });
});

describe('tables made before expiry', () => {
  it('are read as they are, and the first write adds the column and its index, from several processes at once', async () => {
    const collection = randomCollection();
    await oldTable(collection);
    const services = Array.from({ length: 4 }, () => service());
    // Reads need no column: they change nothing.
    expect((await services[0]?.get(collection, 'old-1'))?.v).toBe(1);
    expect((await expiryColumn(collection)).column).toBeUndefined();
    const at = Date.now() + MINUTE;
    await Promise.all(
      services.map((db, i) => db.save(collection, `new-${i}`, { i }, { expiresAt: at })),
    );
    const { column, indexes } = await expiryColumn(collection);
    expect(column).toEqual({ data_type: 'bigint', is_nullable: 'YES' });
    expect(indexes).toHaveLength(1);
    // The old documents are untouched and never expire.
    const old = await raw.query(
      `SELECT id, rev, doc, expires_at FROM "${collection}" WHERE id LIKE 'old-%' ORDER BY id`,
    );
    expect(old.rows).toEqual([
      { id: 'old-1', rev: '1-0123456789abcdef', doc: { v: 1 }, expires_at: null },
      { id: 'old-2', rev: '3-fedcba9876543210', doc: { v: 2 }, expires_at: null },
    ]);
    const db = services[0] as PostgresDatabaseService;
    expect(await db.listAll(collection)).toHaveLength(6);
    const updated = await db.save(collection, 'old-2', { v: 3 }, { ifRev: '3-fedcba9876543210' });
    expect(updated.rev).toMatch(/^4-/);
    await Promise.all(services.map((each) => each.close()));
  });

  it('are brought up to date by a conditional delete, deleteMany, a purge or ensureIndex too', async () => {
    const db = service();
    const calls: Array<(collection: string) => Promise<unknown>> = [
      (collection) => db.delete(collection, 'old-1', { ifRev: '1-0123456789abcdef' }),
      (collection) => db.deleteMany(collection, ['old-1', 'missing']),
      (collection) => db.purgeExpired(collection),
      (collection) => db.ensureIndex(collection, { fields: ['v'] }),
    ];
    for (const call of calls) {
      const collection = randomCollection();
      await oldTable(collection);
      await call(collection);
      const { column, indexes } = await expiryColumn(collection);
      expect(column).toEqual({ data_type: 'bigint', is_nullable: 'YES' });
      expect(indexes).toHaveLength(1);
      expect((await db.get(collection, 'old-2')).v).toBe(2);
    }
    await db.close();
  });
});
