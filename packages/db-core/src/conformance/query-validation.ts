import type { DatabaseService, Query } from '@gofannon/db-core';
import { expect } from 'vitest';
import { describeValue, expectDatabaseError, labelled } from './expectations';
import { untyped } from './fixtures';
import { defineCases } from './harness';
import { saveAll } from './query-fixtures';

/** Asserts a 400 whose `path` points at the faulty part of the query, and whose message names it. */
async function expectRefused(
  service: DatabaseService,
  collection: string,
  query: unknown,
  path: string,
): Promise<void> {
  await labelled(
    `the query ${describeValue(query)}`,
    (async () => {
      const error = await expectDatabaseError(service.find(collection, untyped(query)), 'invalid', {
        collection,
      });
      expect(
        (error as { path?: string }).path,
        `the part of the query the 400 points at (${error.message})`,
      ).toBe(path);
      // "/where/1" is where[1] in the message, "/orderBy/field" orderBy.field.
      const named = path
        .slice(1)
        .replace(/\/(\d+)/g, '[$1]')
        .replace(/\//g, '.');
      expect(error.message, 'the message names the faulty part').toContain(named);
    })(),
  );
}

const ELEVEN_SEGMENTS = Array.from({ length: 11 }, (_, i) => `s${i}`).join('.');

export const queryValidationCases = defineCases('queries: validation', {
  async 'each malformed where clause is 400 naming the clause'({ service, collection }) {
    const refused: Array<[unknown[], string]> = [
      [[['a', '=', 1]], '/where/0'],
      [
        [
          ['a', '==', 1],
          ['b', '!=', 1],
        ],
        '/where/1',
      ],
      [[['a', 'array-contains', 1]], '/where/0'],
      [[['a', '==', { x: 1 }]], '/where/0'],
      [[['a', '==', [1]]], '/where/0'],
      [[['a', '==', Number.NaN]], '/where/0'],
      [[['a', '<', Number.POSITIVE_INFINITY]], '/where/0'],
      [[['a', '==', undefined]], '/where/0'],
      [[['a', '==', '\ud800']], '/where/0'],
      [[['a', 'in', []]], '/where/0'],
      [[['a', 'in', Array.from({ length: 31 }, (_, i) => i)]], '/where/0'],
      [[['a', 'in', 'abc']], '/where/0'],
      [[['a', 'in', [1, { x: 1 }]]], '/where/0'],
      [
        [
          ['a', '>', 1],
          ['b', '<', 2],
        ],
        '/where/1',
      ],
      [[['', '==', 1]], '/where/0'],
      [[['a..b', '==', 1]], '/where/0'],
      [[['.a', '==', 1]], '/where/0'],
      [[['a.', '==', 1]], '/where/0'],
      [[[ELEVEN_SEGMENTS, '==', 1]], '/where/0'],
      [[['_rev', '==', '1']], '/where/0'],
      [[['_x', '==', 1]], '/where/0'],
      [[['_id.x', '==', 1]], '/where/0'],
      [[[42, '==', 1]], '/where/0'],
      [[['a', '==']], '/where/0'],
      [['a'], '/where/0'],
    ];
    for (const [where, path] of refused) await expectRefused(service, collection, { where }, path);
    await expectRefused(service, collection, { where: { a: 1 } }, '/where');
    // The limits themselves are fine: 30 values, 10 segments, a nested _x, two ranges on one field.
    const ten = Array.from({ length: 10 }, (_, i) => `s${i}`).join('.');
    const fine: Query[] = [
      { where: [['a', 'in', Array.from({ length: 30 }, (_, i) => i)]] },
      { where: [[ten, '==', 1]] },
      { where: [['a._x', '==', 1]] },
      {
        where: [
          ['a', '>', 1],
          ['a', '<', 5],
          ['b', '==', 2],
        ],
      },
    ];
    for (const query of fine) {
      await labelled(describeValue(query), service.find(collection, query));
    }
  },

  async 'a range on another field than orderBy, and a bad orderBy, are 400'({
    service,
    collection,
  }) {
    await expectRefused(
      service,
      collection,
      { where: [['a', '>', 1]], orderBy: { field: 'b' } },
      '/where/0',
    );
    await expectRefused(
      service,
      collection,
      {
        where: [
          ['b', '==', 1],
          ['a', '<=', 1],
        ],
        orderBy: { field: 'b' },
      },
      '/where/1',
    );
    await expectRefused(service, collection, { orderBy: 'a' }, '/orderBy');
    await expectRefused(service, collection, { orderBy: { field: '' } }, '/orderBy/field');
    await expectRefused(service, collection, { orderBy: { field: '_rev' } }, '/orderBy/field');
    await expectRefused(
      service,
      collection,
      { orderBy: { field: 'a', direction: 'up' } },
      '/orderBy/direction',
    );
    await expectRefused(
      service,
      collection,
      { orderBy: { field: 'a', tieBreak: 'b' } },
      '/orderBy/tieBreak',
    );
    await service.find(collection, {
      where: [['a', '>', 1]],
      orderBy: { field: 'a', direction: 'desc' },
    });
  },

  async 'limit, requireIndex, unknown options and non-objects are 400'({ service, collection }) {
    for (const limit of [0, -1, 1001, 1.5, Number.NaN, '10', null]) {
      await expectDatabaseError(service.find(collection, { limit: untyped(limit) }), 'invalid', {
        collection,
      });
    }
    await expectRefused(service, collection, { requireIndex: 'yes' }, '/requireIndex');
    await expectRefused(service, collection, { wehre: [['a', '==', 1]] }, '/wehre');
    for (const query of [[], 'a', 42, null]) {
      await expectDatabaseError(service.find(collection, untyped(query)), 'invalid', {
        collection,
      });
    }
  },

  async 'a cursor of another query or collection is 400'({ service, collection, newCollection }) {
    const docs: Record<string, object> = {};
    for (let n = 0; n < 10; n++) docs[`d${n}`] = { a: n % 2, n };
    await saveAll(service, collection, docs);
    const other = newCollection();
    await saveAll(service, other, docs);
    const query: Query = { where: [['a', '==', 1]], orderBy: { field: 'n' }, limit: 2 };
    const { nextCursor } = await service.find(collection, query);
    expect(nextCursor, 'a first page of 2 of 5 hits has a cursor').not.toBeNull();
    const cursor = nextCursor as string;
    const others: Query[] = [
      { ...query, where: [['a', '==', 0]] },
      { ...query, where: [['a', 'in', [1, 2]]] },
      { ...query, where: [] },
      { ...query, orderBy: { field: 'n', direction: 'desc' } },
      { ...query, orderBy: { field: 'a' } },
    ];
    for (const otherQuery of others) {
      await labelled(
        `a cursor of ${describeValue(query)} passed to ${describeValue(otherQuery)}`,
        expectRefused(service, collection, { ...otherQuery, cursor }, '/cursor'),
      );
    }
    await expectRefused(service, other, { ...query, cursor }, '/cursor');
    const listCursor = (await service.list(collection, { limit: 2 })).nextCursor;
    for (const bad of [
      listCursor,
      'garbage',
      '',
      '!!!',
      Buffer.from('["q1"]').toString('base64url'),
    ]) {
      await expectRefused(service, collection, { ...query, cursor: bad }, '/cursor');
    }
    await expectDatabaseError(service.list(collection, { cursor }), 'invalid', { collection });
    // The same query, its default direction spelled out, takes it.
    const same = await service.find(collection, {
      ...query,
      where: [['a', '==', 1]],
      orderBy: { field: 'n', direction: 'asc' },
      cursor,
    });
    expect(same.documents.map((doc) => doc._id)).toEqual(['d5', 'd7']);
  },

  async 'ensureIndex refuses malformed fields with 400'({ service, collection }) {
    const refused = [
      undefined,
      {},
      { fields: [] },
      { fields: 'a' },
      { fields: ['a', 'a'] },
      { fields: [''] },
      { fields: ['_rev'] },
      { fields: ['a..b'] },
      { fields: [ELEVEN_SEGMENTS] },
      { fields: Array.from({ length: 11 }, (_, i) => `f${i}`) },
      { fields: [1] },
    ];
    for (const index of refused) {
      await labelled(
        `ensureIndex(${describeValue(index)})`,
        expectDatabaseError(service.ensureIndex(collection, untyped(index)), 'invalid', {
          collection,
        }),
      );
    }
  },
});
