import type { DatabaseService, JsonValue, Query } from '@gofannon/db-core';
import { randomCollection } from '@gofannon/db-core/conformance';
import { type CouchServer, useCouchServer } from '@gofannon/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CouchDbDatabaseService } from '../src';

/**
 * The index views against core's scan (`findByScan` with core's shared rules, what an
 * unindexed query runs): the same pages, cursors included, for a matrix of queries over
 * data that trips up CouchDB's own collation: every JSON type, strings whose ICU order is
 * not their code-point order, 1 against 1.0, null against missing, nested paths through
 * arrays and nulls, ids CouchDB reserves (stored behind a `~`), many ties.
 */

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

/** Ids whose code-point order differs from ICU's and JavaScript's, and ids stored escaped. */
const ID_STEMS = ['a', 'B', 'é', '\uE000', '\uFFFF', '\u{10000}', '😀', 'z', '_u', '~t', '.'];

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

function dataset(): Record<string, Record<string, JsonValue>> {
  const next = random(15);
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
  { where: [['v', 'in', [1, 'a', null, true, 1.0]]], orderBy: { field: 'v', direction: 'desc' } },
  { where: [['v', 'in', ['B', 'a', 'é']]] },
  { where: [['kind', 'in', ['x', 1]]], orderBy: { field: 'v' } },
  { where: [['kind', '==', 'x']], orderBy: { field: 'v', direction: 'desc' } },
  {
    where: [
      ['kind', 'in', ['x', 'y', null]],
      ['v', 'in', [1, 'a', '\u{10000}', '\uE000']],
    ],
    orderBy: { field: 'v', direction: 'desc' },
  },
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
  {
    where: [
      ['v', '>', 0],
      ['v', '<', 'z'],
    ],
  },
  {
    where: [
      ['kind', '==', 'y'],
      ['v', '>=', 'B'],
    ],
    orderBy: { field: 'v' },
  },
  {
    where: [
      ['kind', '==', 'y'],
      ['_id', '<', '\u{10000}'],
    ],
    orderBy: { field: '_id', direction: 'desc' },
  },
  {
    where: [
      ['kind', '==', 'x'],
      ['_id', '>=', '_u'],
    ],
  },
  { where: [['kind', 'in', ['z', 'x']]], orderBy: { field: 'kind', direction: 'desc' } },
  {
    where: [
      ['v', 'in', [1, 'a', 'B']],
      ['v', '>', 'A'],
    ],
    orderBy: { field: 'v' },
  },
];

const LIMITS = [1, 3, 7, 100];
const INDEXES = [['v'], ['a.b'], ['kind', 'v'], ['v', 'a.b'], ['kind'], ['a.b', 'v']];

let server: CouchServer;
let indexed: CouchDbDatabaseService;
let scanning: CouchDbDatabaseService;
const collection = randomCollection();

async function walk(service: DatabaseService, query: Query) {
  const pages: Array<{ documents: JsonValue[]; nextCursor: string | null }> = [];
  let cursor: string | null = null;
  do {
    const page = await service.find(collection, { ...query, cursor });
    pages.push({ documents: page.documents as JsonValue[], nextCursor: page.nextCursor });
    cursor = page.nextCursor;
    expect(pages.length, `pages of ${JSON.stringify(query)}`).toBeLessThanOrEqual(200);
  } while (cursor !== null);
  return pages;
}

beforeAll(async () => {
  server = await useCouchServer();
  const connect = () =>
    new CouchDbDatabaseService({
      url: server.url,
      user: server.user,
      password: server.password,
      timeoutMs: 30_000,
    });
  indexed = connect();
  scanning = connect();
  const items = Object.entries(dataset()).map(([id, doc]) => ({ id, doc }));
  const results = await indexed.saveMany(collection, items);
  expect(results.filter((result) => 'error' in result)).toEqual([]);
  for (const fields of INDEXES) await indexed.ensureIndex(collection, { fields });
});
afterAll(async () => {
  await indexed?.close();
  await scanning?.close();
  await server?.close();
});

describe('queries served by index views', () => {
  it('give the pages of core scan, page for page, cursors included', async () => {
    let served = 0;
    for (const query of QUERIES) {
      // Each query is one an ensured index serves: requireIndex refuses it otherwise.
      await indexed.find(collection, { ...query, requireIndex: true, limit: 1 });
      served++;
      for (const limit of LIMITS) {
        const expected = await walk(scanning, { ...query, limit });
        const actual = await walk(indexed, { ...query, limit });
        expect(actual, `${JSON.stringify(query)} in pages of ${limit}`).toEqual(expected);
      }
    }
    expect(served).toBe(QUERIES.length);
    // About 2,000 finds, each a request or more: minutes on a busy 2-core machine.
  }, 300_000);

  it('order strings by code point and types as the contract does, not as CouchDB collates', async () => {
    const local = randomCollection();
    const values = ['a', 'B', 'é', '\uFFFF', '\u{10000}', '\uE000', '1', 1, 0.5, true, false, null];
    await indexed.saveMany(
      local,
      values.map((v, i) => ({ id: `d${i}`, doc: { v, s: 'same' } })),
    );
    await indexed.ensureIndex(local, { fields: ['s', 'v'] });
    const page = await indexed.find(local, {
      where: [['s', '==', 'same']],
      orderBy: { field: 'v' },
      requireIndex: true,
    });
    expect(page.documents.map((doc) => doc.v)).toEqual([
      null,
      false,
      true,
      0.5,
      1,
      '1',
      'B',
      'a',
      'é',
      '\uE000',
      '\uFFFF',
      '\u{10000}',
    ]);
  });
});
