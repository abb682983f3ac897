import { compareCodePoints, type JsonValue, type Query } from '@gofannon/db-core';
import { randomCollection } from '@gofannon/db-core/conformance';
import {
  type FirestoreEmulator,
  useEmulatorEnvironment,
  useFirestoreEmulator,
} from '@gofannon/test-support';
import { type Firestore, Timestamp } from '@google-cloud/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FirestoreDatabaseService } from '../src';
import { toDocumentId } from '../src/document-ids';
import { rawFirestore } from './support/firestore-inspector';
import { idsOf, walk } from './support/reference-service';
import { missingEmulator } from './support/skip-without-emulator';

/**
 * One case per place where Firestore's own rules differ from the contract's, each shown on
 * Firestore itself (the raw client) and then on the adapter, which must give the
 * contract's answer.
 */
describe.skipIf(missingEmulator)("find where Firestore's rules differ from the contract's", () => {
  let emulator: FirestoreEmulator;
  let raw: Firestore;
  let db: FirestoreDatabaseService;

  beforeAll(async () => {
    emulator = await useFirestoreEmulator();
    useEmulatorEnvironment(emulator);
    raw = rawFirestore(emulator);
    db = new FirestoreDatabaseService({ firestore: { projectId: emulator.projectId } });
  });
  afterAll(async () => {
    await db?.close();
    await raw?.terminate();
    await emulator?.close();
  });

  async function saveValues(collection: string, values: Record<string, JsonValue>) {
    for (const [id, v] of Object.entries(values)) await db.save(collection, id, { v, k: 1 });
  }
  async function rawOrder(collection: string, direction: 'asc' | 'desc' = 'asc') {
    return (await raw.collection(collection).orderBy('v', direction).get()).docs.map((d) => d.id);
  }
  async function foundIds(collection: string, query: Query, limits = [1, 2, 100]) {
    const walks = [];
    for (const limit of limits)
      walks.push(idsOf(await walk(db, collection, { ...query, limit })).flat());
    for (const ids of walks) expect(ids).toEqual(walks[0]);
    return walks[0];
  }

  it('orders strings by code point, as Firestore does by UTF-8 bytes, not by UTF-16 units', async () => {
    const collection = randomCollection();
    const strings = ['😀', '\u{10000}', '\uFFFF', '\uE000', 'é', 'a', 'B', 'aa', ''];
    await saveValues(collection, Object.fromEntries(strings.map((s, i) => [`s${i}`, s])));
    const byCodePoint = [...strings].sort(compareCodePoints);
    const idOf = (s: string) => `s${strings.indexOf(s)}`;
    expect(byCodePoint).toEqual(['', 'B', 'a', 'aa', 'é', '\uE000', '\uFFFF', '\u{10000}', '😀']);
    // JavaScript's `<` puts astral characters before U+E000: a test of real order.
    expect([...strings].sort()).not.toEqual(byCodePoint);
    expect(await rawOrder(collection)).toEqual(byCodePoint.map(idOf));
    expect(await foundIds(collection, { orderBy: { field: 'v' } })).toEqual(byCodePoint.map(idOf));
    expect(await foundIds(collection, { orderBy: { field: 'v', direction: 'desc' } })).toEqual(
      byCodePoint.map(idOf).reverse(),
    );
    expect(await foundIds(collection, { where: [['v', '>', '\uFFFF']] })).toEqual(['s1', 's0']);
    expect(await foundIds(collection, { where: [['v', '<', 'a']] })).toEqual(['s8', 's6']);
  });

  it('leaves out arrays and maps, which Firestore orders after strings, in both directions', async () => {
    const collection = randomCollection();
    await saveValues(collection, {
      list: [1],
      map: { a: 1 },
      empty: [],
      text: 'z',
      number: 1,
      none: null,
      nested: { v: 'x' },
    });
    await raw.collection(collection).doc('no-v').set({ k: 1 });
    expect(await rawOrder(collection)).toEqual([
      'none',
      'number',
      'text',
      'empty',
      'list',
      'map',
      'nested',
    ]);
    expect(await rawOrder(collection, 'desc')).toEqual([
      'nested',
      'map',
      'list',
      'empty',
      'text',
      'number',
      'none',
    ]);
    expect(await foundIds(collection, { orderBy: { field: 'v' } })).toEqual([
      'none',
      'number',
      'text',
    ]);
    expect(await foundIds(collection, { orderBy: { field: 'v', direction: 'desc' } })).toEqual([
      'text',
      'number',
      'none',
    ]);
    expect(
      await foundIds(collection, {
        where: [['k', '==', 1]],
        orderBy: { field: 'v', direction: 'desc' },
      }),
    ).toEqual(['text', 'number', 'none']);
  });

  it('orders null < false < true < numbers, integers and doubles together', async () => {
    const collection = randomCollection();
    const values: Record<string, JsonValue> = {
      n: null,
      f: false,
      t: true,
      int: 2,
      half: 1.5,
      negative: -0.5,
      big: 1e21,
      unsafe: 2 ** 53 + 2,
      one: 1,
      text: '0',
    };
    await saveValues(collection, values);
    const expected = ['n', 'f', 't', 'negative', 'one', 'half', 'int', 'unsafe', 'big', 'text'];
    expect(await rawOrder(collection)).toEqual(expected);
    expect(await foundIds(collection, { orderBy: { field: 'v' } })).toEqual(expected);
    expect(await foundIds(collection, { orderBy: { field: 'v', direction: 'desc' } })).toEqual(
      [...expected].reverse(),
    );
    expect(await foundIds(collection, { where: [['v', '==', 1.0]] })).toEqual(['one']);
    expect(await foundIds(collection, { where: [['v', '>=', 1.5]] })).toEqual([
      'half',
      'int',
      'unsafe',
      'big',
    ]);
    expect(await foundIds(collection, { where: [['v', '==', false]] })).toEqual(['f']);
    expect(await foundIds(collection, { where: [['v', '<', true]] })).toEqual(['f']);
  });

  it('matches null in `in`, which Firestore never does, and never a missing field', async () => {
    const collection = randomCollection();
    await saveValues(collection, { a: null, b: 1, c: 'x' });
    await raw.collection(collection).doc('d').set({ k: 1 });
    const rawIn = await raw.collection(collection).where('v', 'in', [null, 1]).get();
    expect(rawIn.docs.map((d) => d.id)).toEqual(['b']);
    expect(await foundIds(collection, { where: [['v', 'in', [null, 1]]] })).toEqual(['a', 'b']);
    expect(await foundIds(collection, { where: [['v', '==', null]] })).toEqual(['a']);
  });

  it('leaves out NaN and timestamps that other tools wrote, which Firestore orders among numbers', async () => {
    const collection = randomCollection();
    await saveValues(collection, { one: 1, text: 'a' });
    await raw.collection(collection).doc('nan').set({ v: Number.NaN, k: 1 });
    await raw
      .collection(collection)
      .doc('time')
      .set({ v: Timestamp.fromMillis(0), k: 1 });
    expect(await rawOrder(collection)).toEqual(['nan', 'one', 'time', 'text']);
    expect(await foundIds(collection, { orderBy: { field: 'v' } })).toEqual(['one', 'text']);
    expect(await foundIds(collection, { orderBy: { field: 'v', direction: 'desc' } })).toEqual([
      'text',
      'one',
    ]);
    expect(await foundIds(collection, { where: [['v', '>', 0]] })).toEqual(['one']);
  });

  it('keeps code-point _id order and tie-breaks with escaped ids among plain ones', async () => {
    const collection = randomCollection();
    const ids = [
      'a',
      'a/b',
      'a.',
      'a0',
      '.',
      '..',
      '__x__',
      '_',
      '`',
      'b',
      '~',
      'a b',
      '-',
      'a.!',
      'é/',
    ];
    for (const id of ids) await db.save(collection, id, { v: 5, k: 1 });
    const sorted = [...ids].sort(compareCodePoints);
    // As stored, in Firestore's own order: the escaping keeps the order.
    const stored = (await raw.collection(collection).orderBy('v').get()).docs.map((d) => d.id);
    expect(stored).toEqual(sorted.map(toDocumentId));
    expect(await foundIds(collection, {})).toEqual(sorted);
    expect(await foundIds(collection, { orderBy: { field: 'v' } })).toEqual(sorted);
    expect(await foundIds(collection, { orderBy: { field: 'v', direction: 'desc' } })).toEqual(
      [...sorted].reverse(),
    );
    expect(
      await foundIds(collection, {
        where: [['k', '==', 1]],
        orderBy: { field: '_id', direction: 'desc' },
      }),
    ).toEqual([...sorted].reverse());
    expect(
      await foundIds(collection, {
        where: [
          ['_id', '>', '.'],
          ['_id', '<=', 'a/b'],
        ],
      }),
    ).toEqual(
      sorted.filter((id) => compareCodePoints(id, '.') > 0 && compareCodePoints(id, 'a/b') <= 0),
    );
  });
});
