import type { DatabaseService, JsonValue, Query, WhereClause } from '@gofannon/db-core';
import { randomCollection } from '@gofannon/db-core/conformance';
import { MemoryDatabaseService } from '@gofannon/db-memory';
import { type PostgresServer, usePostgresServer } from '@gofannon/test-support';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresDatabaseService } from '../src';

/**
 * PostgreSQL's SQL against the reference adapter: the same pages (documents, page
 * boundaries and cursors) for a matrix of queries over data that trips up SQL: every
 * JSON type, 1 against 1.0, null against missing, nested paths through arrays and nulls,
 * ids and strings whose code-point order JavaScript's `<` gets wrong, many ties.
 */

/** Values at `v` and `a.b`, ties included: each appears several times. */
const VALUES: Array<JsonValue | undefined> = [
  null,
  false,
  true,
  0,
  -0.5,
  1,
  1.5,
  -1,
  1e21,
  1e-7,
  '',
  '1',
  'a',
  'A',
  'B',
  'é',
  '\uE000',
  '\uFFFF',
  '\u{10000}',
  '😀',
  'true',
  'null',
  [],
  [1],
  { b: 1 },
  undefined,
];

/** Ids whose code-point order differs from JavaScript's `<`. */
const ID_STEMS = ['a', 'B', 'é', '\uE000', '\uFFFF', '\u{10000}', '😀', 'z'];

/** A deterministic stream of numbers in [0, 1): the same data on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

function dataset(): Record<string, Record<string, JsonValue>> {
  const next = random(14);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T;
  const docs: Record<string, Record<string, JsonValue>> = {};
  for (let i = 0; i < 160; i++) {
    const doc: Record<string, JsonValue> = { kind: pick(['x', 'y', 'z', 1, null]) };
    const v = pick(VALUES);
    if (v !== undefined) doc.v = v;
    const b = pick(VALUES);
    const a = pick(['object', 'object', 'array', 'null', 'string', 'missing']);
    if (a === 'object') doc.a = b === undefined ? {} : { b };
    if (a === 'array') doc.a = [{ b: 1 }];
    if (a === 'null') doc.a = null;
    if (a === 'string') doc.a = 'b';
    docs[`${pick(ID_STEMS)}-${i % 7}-${i}`] = doc;
  }
  return docs;
}

const QUERIES: Query[] = [
  {},
  { orderBy: { field: 'v' } },
  { orderBy: { field: 'v', direction: 'desc' } },
  { orderBy: { field: 'a.b', direction: 'desc' } },
  { where: [['v', '==', 1]] },
  { where: [['v', '==', 1.0]], orderBy: { field: 'a.b' } },
  { where: [['v', '==', null]] },
  { where: [['v', '==', '1']] },
  { where: [['v', '==', false]] },
  { where: [['a.b', '==', 1]], orderBy: { field: 'v', direction: 'desc' } },
  { where: [['a.b', '==', null]] },
  { where: [['a.0.b', '==', 1]] },
  { where: [['v', 'in', [1, 'a', null, true, 1.0]]], orderBy: { field: 'v', direction: 'desc' } },
  { where: [['kind', 'in', ['x', 1]]], orderBy: { field: 'v' } },
  { where: [['kind', '==', 'x']], orderBy: { field: 'v', direction: 'desc' } },
  { where: [['v', '>', 0]] },
  { where: [['v', '<=', 1]], orderBy: { field: 'v', direction: 'desc' } },
  { where: [['v', '>=', '\uE000']] },
  {
    where: [
      ['v', '>', 'A'],
      ['v', '<', '\u{10000}'],
    ],
    orderBy: { field: 'v', direction: 'desc' },
  },
  { where: [['v', '<', true]] },
  { where: [['v', '>=', null]] },
  { where: [['v', '>', 'a\u0000b']] },
  { where: [['_id', '>', '\uE000']] },
  { where: [['_id', 'in', ['z-0-7', '😀-1-8', 'missing', 3]]] },
  {
    where: [
      ['kind', '==', 'y'],
      ['_id', '<', '\u{10000}'],
    ],
    orderBy: { field: '_id', direction: 'desc' },
  },
];

const LIMITS = [1, 3, 7, 100];

let server: PostgresServer;
let postgres: PostgresDatabaseService;
let memory: MemoryDatabaseService;
const collection = randomCollection();

/** Every page of a walk: the documents without their revisions (each adapter makes its own), and the cursor. */
async function walk(service: DatabaseService, query: Query) {
  const pages: Array<{ documents: JsonValue[]; nextCursor: string | null }> = [];
  let cursor: string | null = null;
  do {
    const page = await service.find(collection, { ...query, cursor });
    pages.push({
      documents: page.documents.map(({ _rev, ...rest }) => rest as JsonValue),
      nextCursor: page.nextCursor,
    });
    cursor = page.nextCursor;
    // A walk that repeats pages would never end: 200 documents fit in fewer pages.
    expect(pages.length, `pages of ${JSON.stringify(query)}`).toBeLessThanOrEqual(200);
  } while (cursor !== null);
  return pages;
}

async function expectSamePages(): Promise<void> {
  for (const query of QUERIES) {
    for (const limit of LIMITS) {
      const expected = await walk(memory, { ...query, limit });
      const actual = await walk(postgres, { ...query, limit });
      expect(actual, `${JSON.stringify(query)} in pages of ${limit}`).toEqual(expected);
    }
  }
}

beforeAll(async () => {
  server = await usePostgresServer();
  postgres = new PostgresDatabaseService({ connection: { connectionString: server.url } });
  memory = new MemoryDatabaseService();
  const items = Object.entries(dataset()).map(([id, doc]) => ({ id, doc }));
  for (const service of [postgres, memory] as DatabaseService[]) {
    const results = await service.saveMany(collection, items);
    expect(results.filter((result) => 'error' in result)).toEqual([]);
  }
  // 1.0 as PostgreSQL stores it when another writer sends that text: numerically 1.
  const raw = new pg.Client({ connectionString: server.url });
  await raw.connect();
  try {
    await raw.query(
      `INSERT INTO "${collection}" (id, rev, doc) VALUES ('one-point-zero', '1-0000000000000000', '{"v": 1.0, "kind": "x", "a": {"b": 1.0}}')`,
    );
    expect((await raw.query('SHOW server_encoding')).rows[0].server_encoding).toBe('UTF8');
  } finally {
    await raw.end();
  }
  await memory.save(collection, 'one-point-zero', { v: 1, kind: 'x', a: { b: 1 } });
});
afterAll(async () => {
  await postgres?.close();
  await memory?.close();
  await server?.close();
});

describe('queries on PostgreSQL and on memory', () => {
  it('give the same pages without indexes', async () => {
    await expectSamePages();
  });

  it('give the same pages with indexes on both', async () => {
    const indexes = [['v'], ['a.b'], ['kind', 'v'], ['v', 'a.b'], ['kind', '_id']];
    for (const fields of indexes) {
      await postgres.ensureIndex(collection, { fields });
      await memory.ensureIndex(collection, { fields });
    }
    await expectSamePages();
  });

  it('pick the same documents for clauses in any order', async () => {
    const where: WhereClause[] = [
      ['kind', 'in', ['x', 'y']],
      ['v', '>=', -1],
    ];
    const forward = await walk(postgres, { where, limit: 5 });
    const backward = await walk(postgres, { where: [...where].reverse(), limit: 5 });
    expect(backward).toEqual(forward);
    expect(forward).toEqual(await walk(memory, { where, limit: 5 }));
  });
});
