import type { JsonValue, Query } from '@gofannon/db-core';
import { randomCollection } from '@gofannon/db-core/conformance';
import {
  type FirestoreEmulator,
  useEmulatorEnvironment,
  useFirestoreEmulator,
} from '@gofannon/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FirestoreDatabaseService } from '../src';
import { ScanningFirestoreService, walk } from './support/reference-service';
import { missingEmulator } from './support/skip-without-emulator';

/**
 * Firestore's native queries against core's reference answer on the same data: the same
 * pages (documents, page boundaries and cursors) for a matrix of queries over data where
 * Firestore's own rules differ from the contract's: every JSON type and arrays and maps
 * (which Firestore orders after strings), 1 against 1.0, null against missing, strings
 * whose code-point order JavaScript's `<` gets wrong, many ties, and ids that the adapter
 * stores encoded (`~` + base64url) interleaved with plain ones.
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
  2 ** 53 + 2,
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
  [],
  [1],
  { b: 1 },
  undefined,
];

/** Ids whose code-point order differs from JavaScript's `<`, and ids stored encoded. */
const ID_STEMS = ['a', 'B', 'é', '\uE000', '\u{10000}', 'z', 'a/b', '~x', '__m', 'a.', '`a', '_'];
const SPECIAL_IDS = [
  '.',
  '..',
  '__x__',
  '~',
  'a/',
  '/',
  '~~',
  '__m__',
  '`',
  '_',
  'a.!',
  'a.~',
  '^x',
];

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

function dataset(): Record<string, Record<string, JsonValue>> {
  const next = random(17);
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T;
  const docs: Record<string, Record<string, JsonValue>> = {};
  const ids = [
    ...SPECIAL_IDS,
    ...Array.from({ length: 110 }, (_, i) => `${pick(ID_STEMS)}${i % 3}`),
  ];
  ids.forEach((id, i) => {
    const doc: Record<string, JsonValue> = { kind: pick(['x', 'y', 1, null]) };
    const v = pick(VALUES);
    if (v !== undefined) doc.v = v;
    const b = pick(VALUES);
    const a = pick(['object', 'object', 'array', 'null', 'missing']);
    if (a === 'object') doc.a = b === undefined ? {} : { b };
    if (a === 'array') doc.a = [{ b: 1 }];
    if (a === 'null') doc.a = null;
    docs[`${id}${i % 2 === 0 ? '' : `-${i}`}`] = doc;
  });
  return docs;
}

const QUERIES: Query[] = [
  {},
  { orderBy: { field: 'v' } },
  { orderBy: { field: 'v', direction: 'desc' } },
  { orderBy: { field: 'a.b', direction: 'desc' } },
  { orderBy: { field: '_id', direction: 'desc' } },
  { where: [['v', '==', 1]] },
  { where: [['v', '==', 1.0]], orderBy: { field: 'a.b' } },
  { where: [['v', '==', null]], orderBy: { field: '_id', direction: 'desc' } },
  { where: [['v', '==', false]] },
  { where: [['a.b', '==', 1]], orderBy: { field: 'v', direction: 'desc' } },
  { where: [['v', 'in', [1, 'a', null, true, 1.0]]], orderBy: { field: 'v', direction: 'desc' } },
  { where: [['kind', 'in', ['x', 1]]], orderBy: { field: 'v' } },
  { where: [['kind', '==', 'x']], orderBy: { field: 'v', direction: 'desc' } },
  { where: [['kind', '==', 'y']], orderBy: { field: '_id', direction: 'desc' } },
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
  { where: [['_id', '>', 'a']] },
  {
    where: [
      ['_id', '>=', '.'],
      ['_id', '<', 'a0'],
    ],
  },
  { where: [['_id', '<=', '~x1']], orderBy: { field: '_id', direction: 'desc' } },
  { where: [['_id', '>', '~']] },
  {
    where: [
      ['_id', '>=', '_'],
      ['_id', '<=', 'a/'],
    ],
    orderBy: { field: '_id', direction: 'desc' },
  },
  { where: [['_id', '>', '']] },
  { where: [['_id', 'in', ['.', 'a/b0', '__x__', 'a0', 'missing', 3]]], orderBy: { field: 'v' } },
  {
    where: [
      ['kind', '==', 'x'],
      ['_id', '<', '\u{10000}'],
    ],
    orderBy: { field: '_id', direction: 'desc' },
  },
];

const LIMITS = [2, 5, 100];

describe.skipIf(missingEmulator)('Firestore queries against core reference', () => {
  let emulator: FirestoreEmulator;
  let native: FirestoreDatabaseService;
  let reference: ScanningFirestoreService;
  const collection = randomCollection();

  beforeAll(async () => {
    emulator = await useFirestoreEmulator();
    useEmulatorEnvironment(emulator);
    native = new FirestoreDatabaseService({ firestore: { projectId: emulator.projectId } });
    reference = new ScanningFirestoreService({ firestore: { projectId: emulator.projectId } });
    const items = Object.entries(dataset()).map(([id, doc]) => ({ id, doc }));
    const results = await native.saveMany(collection, items);
    expect(results.filter((result) => 'error' in result)).toEqual([]);
  });
  afterAll(async () => {
    await native?.close();
    await reference?.close();
    await emulator?.close();
  });

  it('give the same pages as core reference, every page size', async () => {
    for (const query of QUERIES) {
      for (const limit of LIMITS) {
        const expected = await walk(reference, collection, { ...query, limit });
        const actual = await walk(native, collection, { ...query, limit });
        expect(actual, `${JSON.stringify(query)} in pages of ${limit}`).toEqual(expected);
      }
    }
  }, 300_000);

  it('give the same pages with the indexes ensured', async () => {
    for (const fields of [['v'], ['kind', 'v'], ['a.b'], ['kind', '_id']]) {
      await native.ensureIndex(collection, { fields });
      await reference.ensureIndex(collection, { fields });
    }
    for (const query of QUERIES) {
      const expected = await walk(reference, collection, { ...query, limit: 7 });
      expect(await walk(native, collection, { ...query, limit: 7 })).toEqual(expected);
    }
  }, 120_000);
});
