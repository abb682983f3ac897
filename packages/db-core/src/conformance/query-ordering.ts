import type {
  DatabaseService,
  JsonValue,
  Query,
  SortDirection,
  WhereClause,
} from '@gofannon/db-core';
import { expect } from 'vitest';
import { labelled } from './expectations';
import { defineCases } from './harness';
import { afterWrites, expectFound, findIds, saveAll } from './query-fixtures';

/**
 * Values in the contract's order: null < false < true < numbers < strings, numbers
 * numerically (2 before 10), strings by code point ("10" before "9", "B" before "a",
 * U+E000 and U+FFFF before the astral U+10000, where JavaScript's `<` puts it first).
 */
const ORDERED: JsonValue[] = [
  null,
  false,
  true,
  -1e21,
  -1,
  0,
  1e-7,
  1.5,
  2,
  10,
  '',
  '10',
  '9',
  'A',
  'B',
  'a',
  'b',
  'z',
  'é',
  '\uE000',
  '\uFFFF',
  '\u{10000}',
  '😀',
];

/** Ids in code-point order, which JavaScript's `<` would sort differently. */
const TIED_IDS = ['t-Z', 't-a', 't-b', 't-é', 't-\uE000', 't-\uFFFF', 't-\u{10000}', 't-😀'];

/** Ids that do not give the order away: the n-th ordered value is stored under a scrambled id. */
function orderedDocs(): { docs: Record<string, object>; ids: string[] } {
  const ids = ORDERED.map((_, i) => `o${String((i * 7) % ORDERED.length).padStart(2, '0')}`);
  const docs: Record<string, object> = {};
  ORDERED.forEach((v, i) => {
    docs[ids[i] as string] = { v };
  });
  // Left out of any query ordered by v: no scalar there.
  Object.assign(docs, { 'no-v': { w: 1 }, 'array-v': { v: [1] }, 'object-v': { v: { a: 1 } } });
  return { docs, ids };
}

function inDirection(ids: readonly string[], direction: SortDirection): string[] {
  return direction === 'asc' ? [...ids] : [...ids].reverse();
}

/** Asserts that orderBy v gives these ids, and reversed when descending, in pages of each size. */
async function expectOrderedByV(
  service: DatabaseService,
  collection: string,
  ascending: readonly string[],
  limits: readonly number[],
): Promise<void> {
  for (const direction of ['asc', 'desc'] as const) {
    for (const limit of limits) {
      await labelled(
        `orderBy v ${direction} in pages of ${limit}`,
        expectFound(
          service,
          collection,
          { orderBy: { field: 'v', direction }, limit },
          inDirection(ascending, direction),
        ),
      );
    }
  }
}

export const queryOrderingCases = defineCases('queries: ordering', {
  async 'orderBy sorts across types and strings by code point, both ways, across pages'(context) {
    const { service, collection } = context;
    const { docs, ids } = orderedDocs();
    await saveAll(service, collection, docs);
    await afterWrites(context, async () => {
      await expectOrderedByV(service, collection, ids, [1000, 4]);
    });
  },

  async 'ties are broken by _id in code-point order, in the direction of the sort'(context) {
    const { service, collection } = context;
    const docs: Record<string, object> = {};
    // Ids stored in scrambled order; ties at 5 sit between single values 4 and 6.
    for (const id of [...TIED_IDS].reverse()) docs[id] = { v: 5 };
    docs['a-four'] = { v: 4 };
    docs['z-six'] = { v: 6 };
    await saveAll(service, collection, docs);
    const ascending = ['a-four', ...TIED_IDS, 'z-six'];
    await afterWrites(context, async () => {
      await expectOrderedByV(service, collection, ascending, [100, 3, 1]);
      // The ids above are in code-point order too, so ordering by _id itself gives them back.
      await expectFound(
        service,
        collection,
        { orderBy: { field: '_id', direction: 'desc' }, limit: 2 },
        inDirection(ascending, 'desc'),
      );
    });
  },

  async 'string ranges follow code points: astral characters come after U+FFFF'(context) {
    const { service, collection } = context;
    const { docs, ids } = orderedDocs();
    await saveAll(service, collection, docs);
    const at = (value: JsonValue) => ids[ORDERED.indexOf(value)] as string;
    const cases: Array<[WhereClause[], string[]]> = [
      [[['v', '>', '\uFFFF']], [at('\u{10000}'), at('😀')]],
      [
        [
          ['v', '>=', '\uE000'],
          ['v', '<', '\u{10000}'],
        ],
        [at('\uE000'), at('\uFFFF')],
      ],
      [
        [
          ['v', '<', 'a'],
          ['v', '>', ''],
        ],
        [at('10'), at('9'), at('A'), at('B')],
      ],
      [[['v', '>', 'z']], [at('é'), at('\uE000'), at('\uFFFF'), at('\u{10000}'), at('😀')]],
    ];
    await afterWrites(context, async () => {
      for (const [where, expected] of cases) {
        await labelled(
          `where ${JSON.stringify(where)}`,
          expectFound(service, collection, { where }, expected),
        );
      }
    });
  },

  async 'ranges include and exclude their bounds exactly'(context) {
    const { service, collection } = context;
    const docs: Record<string, object> = { 'n-5.5': { n: 5.5, g: 'x' }, 's-5': { n: '5', g: 'x' } };
    for (let n = 1; n <= 10; n++)
      docs[`n-${String(n).padStart(2, '0')}`] = { n, g: n % 2 === 0 ? 'x' : 'y' };
    await saveAll(service, collection, docs);
    const id = (n: number) => (Number.isInteger(n) ? `n-${String(n).padStart(2, '0')}` : `n-${n}`);
    const cases: Array<[Query, number[]]> = [
      [
        {
          where: [
            ['n', '>=', 3],
            ['n', '<', 7],
          ],
        },
        [3, 4, 5, 5.5, 6],
      ],
      [
        {
          where: [
            ['n', '>', 3],
            ['n', '<=', 7],
          ],
        },
        [4, 5, 5.5, 6, 7],
      ],
      [{ where: [['n', '>', 10]] }, []],
      [{ where: [['n', '>=', 10]] }, [10]],
      [{ where: [['n', '<', 1]] }, []],
      [{ where: [['n', '<=', 1]] }, [1]],
      [
        {
          where: [
            ['n', '>=', 3],
            ['n', '<=', 5],
          ],
          orderBy: { field: 'n', direction: 'desc' },
          limit: 2,
        },
        [5, 4, 3],
      ],
      [
        {
          where: [
            ['g', '==', 'x'],
            ['n', '>', 2],
            ['n', '<', 9],
          ],
          orderBy: { field: 'n' },
        },
        [4, 5.5, 6, 8],
      ],
      [
        {
          where: [
            ['n', '>', 5],
            ['n', '<', 5],
          ],
        },
        [],
      ],
    ];
    await afterWrites(context, async () => {
      for (const [query, numbers] of cases) {
        await labelled(
          JSON.stringify(query),
          expectFound(service, collection, query, numbers.map(id)),
        );
      }
    });
  },

  async 'orderBy on a nested path leaves out documents without a scalar there'(context) {
    const { service, collection } = context;
    await saveAll(service, collection, {
      b: { meta: { rank: 2 } },
      a: { meta: { rank: 2 } },
      c: { meta: { rank: 1 } },
      d: { meta: { rank: null } },
      'no-meta': { other: 1 },
      'rank-array': { meta: { rank: [1] } },
      'rank-object': { meta: { rank: { x: 1 } } },
      'meta-array': { meta: [{ rank: 1 }] },
    });
    await afterWrites(context, async () => {
      await expectFound(service, collection, { orderBy: { field: 'meta.rank' } }, [
        'd',
        'c',
        'a',
        'b',
      ]);
      await expectFound(
        service,
        collection,
        { orderBy: { field: 'meta.rank', direction: 'desc' }, limit: 1 },
        ['b', 'a', 'c', 'd'],
      );
      const all = await findIds(service, collection, {});
      expect(all.sort(), 'a query without orderBy returns every document').toHaveLength(8);
    });
  },
});
