import { createDatabaseService, type SaveManyItem, type SaveManyResult } from '@gofannon/db-core';
import { expectDatabaseError, randomCollection } from '@gofannon/db-core/conformance';
import { type PostgresServer, usePostgresServer } from '@gofannon/test-support';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresDatabaseService } from '../src';

let server: PostgresServer;
let raw: pg.Client;

/** A plain pg client beside the adapter; it dies quietly when a test stops the server. */
async function connectRaw(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: server.url });
  client.on('error', () => {});
  await client.connect();
  return client;
}

beforeAll(async () => {
  server = await usePostgresServer();
  raw = await connectRaw();
});
afterAll(async () => {
  await raw?.end();
  await server?.close();
});

function service(options: { schema?: string; tablePrefix?: string } = {}) {
  return new PostgresDatabaseService({
    connection: { connectionString: server.url },
    timeoutMs: 5_000,
    ...options,
  });
}

async function tables(schema = 'public'): Promise<string[]> {
  const result = await raw.query('SELECT tablename FROM pg_tables WHERE schemaname = $1', [schema]);
  return result.rows.map((row) => row.tablename as string);
}

describe('SQL injection attempts', () => {
  it('refuses hostile collection names before any SQL runs', async () => {
    const db = service();
    const before = await tables();
    for (const name of [
      'a"; DROP TABLE users; --',
      "a'; DROP TABLE users; --",
      'a b',
      'A',
      'a.b',
    ]) {
      await expectDatabaseError(db.save(name, 'x', {}), 'invalid');
      await expectDatabaseError(db.listAll(name), 'invalid');
    }
    expect(await tables()).toEqual(before);
    await db.close();
  });

  it('stores hostile ids and JSON keys as plain data', async () => {
    const db = service();
    const collection = randomCollection();
    const ids = ["'); DROP TABLE x; --", '" OR 1=1 --', '$1', '\\', "%' OR '1'='1"];
    const doc = { "key'); DROP TABLE x; --": 1, 'a"b': { $1: "'", '\\': '"' } };
    for (const id of ids) await db.save(collection, id, doc);
    for (const id of ids) expect(await db.get(collection, id)).toMatchObject({ _id: id, ...doc });
    const stored = await raw.query(`SELECT count(*)::int AS n FROM "${collection}"`);
    expect(stored.rows[0].n).toBe(ids.length);
    await db.close();
  });

  it('refuses a table prefix or schema that is not a plain name', () => {
    expect(() => service({ tablePrefix: 'x"; DROP' })).toThrow(/POSTGRES_TABLE_PREFIX/);
    expect(() => service({ schema: 'public"; DROP' })).toThrow(/POSTGRES_SCHEMA/);
  });
});

describe('layout', () => {
  it('keeps documents as jsonb with a revision column, in the configured schema', async () => {
    const schema = `s_${randomCollection()}`;
    const db = service({ schema, tablePrefix: 'app_' });
    const collection = randomCollection();
    const { rev } = await db.save(collection, 'doc', { nested: { n: 1 } });
    expect(await tables(schema)).toEqual([`app_${collection}`]);
    const row = await raw.query(
      `SELECT rev, doc, pg_typeof(doc)::text AS type FROM "${schema}"."app_${collection}"`,
    );
    expect(row.rows[0]).toEqual({ rev, doc: { nested: { n: 1 } }, type: 'jsonb' });
    await db.close();
  });

  it('gives long collection names distinct tables within the 63-byte limit', async () => {
    const db = service({ tablePrefix: 'a_rather_long_application_prefix_' });
    const stem = `c${randomCollection().slice(5)}`;
    const first = `${stem}${'x'.repeat(63 - stem.length)}1`;
    const second = `${stem}${'x'.repeat(63 - stem.length)}2`;
    await db.save(first, 'id', { which: 1 });
    await db.save(second, 'id', { which: 2 });
    expect((await db.get(first, 'id')).which).toBe(1);
    expect((await db.get(second, 'id')).which).toBe(2);
    const created = (await tables()).filter((name) =>
      name.startsWith('a_rather_long_application_prefix_'),
    );
    expect(created).toHaveLength(2);
    for (const name of created) {
      expect(Buffer.byteLength(name)).toBeLessThanOrEqual(63);
      // "$" never appears in a collection name, so a shortened name never equals a plain one.
      expect(name).toMatch(/\$[0-9a-f]{16}$/);
    }
    await db.close();
  });

  it('reads nothing into existence: no table for reads', async () => {
    const db = service();
    const collection = randomCollection();
    await expectDatabaseError(db.get(collection, 'x'), 'not_found');
    await expectDatabaseError(db.delete(collection, 'x'), 'not_found');
    expect(await db.getMany(collection, ['x'])).toEqual([null]);
    expect(await tables()).not.toContain(collection);
    await db.close();
  });
});

describe('races and odd input', () => {
  it('concurrent saveMany calls over the same ids in opposite order never give 409 to blind writes', async () => {
    const db = service();
    const collection = randomCollection();
    const ids = Array.from({ length: 200 }, (_, i) => `id-${String(i).padStart(3, '0')}`);
    for (let round = 0; round < 5; round++) {
      const forward = ids.map((id) => ({ id, doc: { round, way: 'forward' } }));
      const backward = [...ids].reverse().map((id) => ({ id, doc: { round, way: 'backward' } }));
      const results = await Promise.all([
        db.saveMany(collection, forward),
        db.saveMany(collection, backward),
      ]);
      expect(results.flat().filter((r) => 'error' in r)).toEqual([]);
    }
    await db.close();
  });

  it('an ifRev that is not one of its revisions is a plain 409, even with NUL or a lone surrogate', async () => {
    const db = service();
    const collection = randomCollection();
    await db.save(collection, 'doc', { v: 1 });
    for (const ifRev of ['1-\u0000', 'x\ud800', "1-'; DROP TABLE x; --"]) {
      await expectDatabaseError(db.save(collection, 'doc', { v: 2 }, { ifRev }), 'conflict');
      await expectDatabaseError(db.delete(collection, 'doc', { ifRev }), 'conflict');
      await expectDatabaseError(db.delete(collection, 'missing', { ifRev }), 'not_found');
      const results = await db.saveMany(collection, [
        { id: 'doc', doc: { v: 3 }, ifRev },
        { id: 'other', doc: { v: 3 } },
      ]);
      expect(results.map((r) => ('error' in r ? r.error.code : 'ok'))).toEqual(['conflict', 'ok']);
    }
    expect((await db.get(collection, 'doc')).v).toBe(1);
    await db.close();
  });

  it.skipIf(Boolean(process.env.POSTGRES_URL))(
    'works in an existing schema for a user without CREATE on the database',
    async () => {
      const schema = `s_${randomCollection()}`;
      const role = `r_${randomCollection()}`;
      await raw.query(`CREATE SCHEMA "${schema}"`);
      await raw.query(`CREATE ROLE "${role}" LOGIN`);
      await raw.query(`GRANT USAGE, CREATE ON SCHEMA "${schema}" TO "${role}"`);
      // PUBLIC has no CREATE on the database, so neither has this role.
      const url = new URL(server.url);
      url.username = role;
      const db = new PostgresDatabaseService({
        connection: { connectionString: url.toString() },
        schema,
        timeoutMs: 5_000,
      });
      const collection = randomCollection();
      await db.save(collection, 'x', { ok: true });
      expect((await db.get(collection, 'x')).ok).toBe(true);
      await db.close();
    },
  );
});

describe('prepared statements', () => {
  /** A service on one connection, and how many statements the server has parsed for it. */
  function counted(preparedStatements?: boolean) {
    const parsed = { count: 0 };
    const db = new PostgresDatabaseService({
      connection: {
        connectionString: server.url,
        onConnect: (client) => {
          (client as pg.Client).connection.on('parseComplete', () => {
            parsed.count += 1;
          });
        },
      },
      maxConnections: 1,
      timeoutMs: 5_000,
      ...(preparedStatements === undefined ? {} : { preparedStatements }),
    });
    return { db, parsed };
  }

  it('parses a statement once per connection, or on every call when turned off', async () => {
    const collection = randomCollection();
    for (const [preparedStatements, parsesFor20Gets] of [
      [undefined, 0],
      [false, 20],
    ] as const) {
      const { db, parsed } = counted(preparedStatements);
      await db.save(collection, 'doc', { v: 1 });
      await db.get(collection, 'doc');
      const before = parsed.count;
      for (let i = 0; i < 20; i++) expect((await db.get(collection, 'doc')).v).toBe(1);
      expect(parsed.count - before).toBe(parsesFor20Gets);
      await db.close();
    }
  });

  it('keeps working when its table is dropped and created again behind its back', async () => {
    const { db } = counted();
    const collection = randomCollection();
    await db.save(collection, 'doc', { v: 1 });
    await db.saveMany(collection, [{ id: 'many', doc: { v: 1 } }]);
    expect((await db.get(collection, 'doc')).v).toBe(1);
    await raw.query(`DROP TABLE "${collection}"`);
    await expectDatabaseError(db.get(collection, 'doc'), 'not_found');
    expect(await db.getMany(collection, ['doc'])).toEqual([null]);
    await db.save(collection, 'doc', { v: 2 });
    await db.saveMany(collection, [{ id: 'many', doc: { v: 2 } }]);
    await raw.query(`DROP TABLE "${collection}"`);
    await raw.query(
      `CREATE TABLE "${collection}" (extra int, id text COLLATE "C" PRIMARY KEY, rev text NOT NULL, doc jsonb NOT NULL)`,
    );
    await db.save(collection, 'doc', { v: 3 });
    expect((await db.get(collection, 'doc')).v).toBe(3);
    expect(await db.listAll(collection)).toMatchObject([{ _id: 'doc', v: 3 }]);
    await db.close();
  });
});

describe('bulk loads', () => {
  it('writes new documents with a plain INSERT, and falls back to the upsert when an id is stored', async () => {
    let statements = 0;
    const db = new PostgresDatabaseService({
      connection: {
        connectionString: server.url,
        onConnect: (client) => {
          (client as pg.Client).connection.on('readyForQuery', () => {
            statements += 1;
          });
        },
      },
      timeoutMs: 5_000,
    });
    const collection = randomCollection();
    const items = (from: number, to: number, v = 1) =>
      Array.from({ length: to - from }, (_, i) => ({ id: `d-${from + i}`, doc: { v } }));
    const statementsOf = async (work: () => Promise<unknown>) => {
      const before = statements;
      await work();
      return statements - before;
    };
    const results: SaveManyResult[] = [];
    const save = async (batch: SaveManyItem[]) => {
      results.push(...(await db.saveMany(collection, batch)));
    };

    // The first chunk upserts (and creates the table); it finds nothing stored.
    await save(items(0, 10));
    // So the next goes in as one plain INSERT.
    expect(await statementsOf(() => save(items(10, 20)))).toBe(1);
    // A stored id makes that INSERT fail as a whole; the upsert then writes the chunk.
    expect(await statementsOf(() => save([...items(20, 25), { id: 'd-0', doc: { v: 2 } }]))).toBe(
      2,
    );
    // Having found a stored id, the next chunk upserts straight away.
    expect(await statementsOf(() => save([...items(25, 30), { id: 'd-1', doc: { v: 2 } }]))).toBe(
      1,
    );

    const stored = await raw.query(`SELECT count(*)::int AS n FROM "${collection}"`);
    expect(stored.rows[0].n).toBe(30);
    // Each id's last reported revision is the stored one.
    const latest = new Map(results.map((result) => [result.id, result]));
    for (const result of latest.values()) {
      if ('error' in result) throw result.error;
      expect((await db.get(collection, result.id))._rev).toBe(result.rev);
    }
    expect(await db.get(collection, 'd-0')).toMatchObject({
      v: 2,
      _rev: expect.stringMatching(/^2-/),
    });
    await db.close();
  });

  it('stores text of every UTF-8 length exactly, on the INSERT and the upsert path alike', async () => {
    const db = service();
    const collection = randomCollection();
    // 1, 2, 3 and 4 UTF-8 bytes a character, JSON escapes, and a chunk big enough to span
    // many pages of the buffer the documents are written into.
    const text = [
      'plain',
      'café ñ',
      '漢字かな',
      '🦊 emoji 👩‍💻',
      'quote " backslash \\ tab \t',
      'x',
    ];
    const docs = (v: number) =>
      Array.from({ length: 400 }, (_, i) => ({
        id: `t-${i}`,
        doc: { v, text: text[i % text.length], long: `${text[i % text.length]}`.repeat(i) },
      }));
    const first = docs(1);
    await db.saveMany(collection, first); // the first chunk of a table upserts
    await db.saveMany(
      collection,
      docs(2).map((item) => ({ ...item, id: `n-${item.id}` })),
    ); // INSERT
    await db.saveMany(collection, docs(3)); // every id stored: the upsert again
    const rows = await raw.query(`SELECT id, doc FROM "${collection}" ORDER BY id`);
    expect(rows.rows).toHaveLength(800);
    for (const { id, doc } of rows.rows) {
      const i = Number(String(id).split('-').at(-1));
      const source = docs(String(id).startsWith('n-') ? 2 : 3)[i]?.doc;
      expect(doc).toEqual(source);
    }
    await db.close();
  });
});

describe('outages', () => {
  it.skipIf(Boolean(process.env.POSTGRES_URL))(
    'a restarted server is used again without a restart of the service',
    async () => {
      const db = service();
      const collection = randomCollection();
      await db.save(collection, 'before', { v: 1 });
      await server.stop();
      try {
        await expectDatabaseError(db.get(collection, 'before'), 'unavailable');
      } finally {
        await server.restart();
      }
      raw = await connectRaw();
      expect((await db.get(collection, 'before')).v).toBe(1);
      await db.close();
    },
  );

  it('wrong credentials or an unknown database give 503 without the password', async () => {
    const url = new URL(server.url);
    url.username = 'nobody';
    url.password = 'secret-password-1';
    url.pathname = '/no_such_database';
    const db = new PostgresDatabaseService({
      connection: { connectionString: url.toString() },
      timeoutMs: 3_000,
    });
    const error = await expectDatabaseError(db.ping(), 'unavailable');
    expect(JSON.stringify({ message: error.message, stack: error.stack })).not.toContain(
      'secret-password-1',
    );
    await db.close();
  });
});

describe('DATABASE_PROVIDER=postgres', () => {
  it('needs POSTGRES_URL or PGHOST', async () => {
    const error = await createDatabaseService({ env: { DATABASE_PROVIDER: 'postgres' } }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).name).toBe('ConfigurationError');
    expect((error as Error).message).toMatch(/POSTGRES_URL/);
  });

  it('refuses a malformed POSTGRES_URL, PGPORT or POSTGRES_PREPARED_STATEMENTS at start-up', async () => {
    for (const [env, names] of [
      [{ POSTGRES_URL: 'not a url' }, /POSTGRES_URL/],
      [{ PGHOST: '127.0.0.1', PGPORT: 'abc' }, /PGPORT/],
      [{ POSTGRES_URL: server.url, POSTGRES_PREPARED_STATEMENTS: 'no' }, /true or false/],
    ] as const) {
      const error = await createDatabaseService({
        env: { DATABASE_PROVIDER: 'postgres', ...env },
      }).catch((e: unknown) => e);
      expect((error as Error).name).toBe('ConfigurationError');
      expect((error as Error).message).toMatch(names);
    }
  });

  it('starts from POSTGRES_URL with a prefix, with statements named or not', async () => {
    for (const prepared of ['true', 'false']) {
      const db = await createDatabaseService({
        env: {
          DATABASE_PROVIDER: 'postgres',
          POSTGRES_URL: server.url,
          POSTGRES_TABLE_PREFIX: 'env_',
          POSTGRES_PREPARED_STATEMENTS: prepared,
        },
      });
      const collection = randomCollection();
      await db.save(collection, 'x', { ok: true });
      expect((await db.get(collection, 'x')).ok).toBe(true);
      expect(await tables()).toContain(`env_${collection}`);
      await db.close();
    }
  });
});
