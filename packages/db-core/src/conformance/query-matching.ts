import type { JsonScalar, JsonValue, Query, WhereClause } from '@gofannon/db-core';
import { labelled } from './expectations';
import { type CaseContext, defineCases } from './harness';
import { afterWrites, expectFound, expectFoundSet, saveAll } from './query-fixtures';

/** One document per JSON type and value at `v`; `missing` has no `v` at all. */
const STORED: Record<string, JsonValue | undefined> = {
  null: null,
  false: false,
  true: true,
  zero: 0,
  one: 1,
  'one-and-a-half': 1.5,
  'minus-one': -1,
  big: 1e21,
  small: 1e-7,
  'empty-string': '',
  'string-0': '0',
  'string-1': '1',
  'string-a': 'a',
  'string-true': 'true',
  'string-null': 'null',
  'empty-array': [],
  'array-1': [1],
  'array-a': ['a'],
  'array-null': [null],
  'empty-object': {},
  'object-1': { v: 1 },
  missing: undefined,
};

/** What each stored value is compared with; `1.0` is `1` in JavaScript and in JSON. */
const OPERANDS: JsonScalar[] = [
  null,
  false,
  true,
  0,
  1,
  1.0,
  1.5,
  -1,
  1e21,
  1e-7,
  2,
  '',
  '0',
  '1',
  'a',
  'A',
  'true',
  'null',
];

/** The contract's equality, written out on its own: same scalar type and value, nothing else. */
function equalScalar(stored: JsonValue | undefined, operand: JsonScalar): boolean {
  if (stored === undefined || (typeof stored === 'object' && stored !== null)) return false;
  return stored === operand;
}

function idsWhere(test: (stored: JsonValue | undefined) => boolean): string[] {
  return Object.entries(STORED)
    .filter(([, stored]) => test(stored))
    .map(([id]) => id);
}

async function saveMatrix({ service, collection }: CaseContext): Promise<void> {
  const docs = Object.fromEntries(
    Object.entries(STORED).map(([id, v]) => [id, v === undefined ? { other: 1 } : { v, other: 1 }]),
  );
  await saveAll(service, collection, docs);
}

export const queryMatchingCases = defineCases('queries: matching', {
  async '== matches the same JSON type and value only, across every type'(context) {
    const { service, collection } = context;
    await saveMatrix(context);
    await afterWrites(context, async () => {
      for (const operand of OPERANDS) {
        const where: WhereClause[] = [['v', '==', operand]];
        await labelled(
          `v == ${JSON.stringify(operand)}`,
          expectFoundSet(
            service,
            collection,
            { where },
            idsWhere((s) => equalScalar(s, operand)),
          ),
        );
      }
    });
  },

  async 'in matches any of its values, with the same strictness'(context) {
    const { service, collection } = context;
    await saveMatrix(context);
    const lists: JsonScalar[][] = [
      [1, 'a', null],
      [false, '1'],
      ['true', true, 'x'],
      [0],
      [1, 1, 1.0],
    ];
    await afterWrites(context, async () => {
      for (const values of lists) {
        await labelled(
          `v in ${JSON.stringify(values)}`,
          expectFoundSet(
            service,
            collection,
            { where: [['v', 'in', values]] },
            idsWhere((s) => values.some((value) => equalScalar(s, value))),
          ),
        );
      }
    });
  },

  async 'ranges match values of their bound type only'(context) {
    const { service, collection } = context;
    await saveMatrix(context);
    const cases: Array<[WhereClause[], string[]]> = [
      [[['v', '>', 0]], ['small', 'one', 'one-and-a-half', 'big']],
      [[['v', '<', 1]], ['minus-one', 'zero', 'small']],
      [
        [['v', '>=', '']],
        ['empty-string', 'string-0', 'string-1', 'string-a', 'string-null', 'string-true'],
      ],
      [[['v', '<', 'a']], ['empty-string', 'string-0', 'string-1']],
      [[['v', '<', true]], ['false']],
      [[['v', '>=', false]], ['false', 'true']],
      [[['v', '<=', null]], ['null']],
      [[['v', '>', null]], []],
      [
        [
          ['v', '>', 0],
          ['v', '<', 'z'],
        ],
        [],
      ],
    ];
    await afterWrites(context, async () => {
      for (const [where, ids] of cases) {
        // A range orders by its field: the expected ids are listed in that order.
        await labelled(
          `where ${JSON.stringify(where)}`,
          expectFound(service, collection, { where }, ids),
        );
      }
    });
  },

  async 'a missing field, an array or an object never matches, and null matches null only'(
    context,
  ) {
    const { service, collection } = context;
    await saveAll(service, collection, {
      'explicit-null': { v: null },
      missing: { w: null },
      'null-in-array': { v: [null] },
      'object-with-null': { v: { x: null } },
      'contains-x': { v: ['x', 'y'] },
      'object-x': { v: { x: 'x' } },
      x: { v: 'x' },
    });
    await afterWrites(context, async () => {
      await expectFoundSet(service, collection, { where: [['v', '==', null]] }, ['explicit-null']);
      await expectFoundSet(service, collection, { where: [['v', 'in', [null, 'x']]] }, [
        'explicit-null',
        'x',
      ]);
      await expectFoundSet(service, collection, { where: [['v', '==', 'x']] }, ['x']);
      await expectFoundSet(service, collection, { where: [['v.x', '==', 'x']] }, ['object-x']);
      await expectFoundSet(service, collection, { where: [['v.x', '==', null]] }, [
        'object-with-null',
      ]);
      await expectFoundSet(service, collection, { where: [['w', '==', null]] }, ['missing']);
    });
  },

  async 'dot paths reach into nested objects, never into arrays or dotted names'(context) {
    const { service, collection } = context;
    const deep = (depth: number, leaf: JsonValue): JsonValue =>
      depth === 0 ? leaf : { p: deep(depth - 1, leaf) };
    const docs: Record<string, object> = {
      nested: { a: { b: { c: 1 } } },
      shallow: { a: { b: 1 } },
      'through-array': { a: [{ b: { c: 1 } }] },
      'dotted-name': { 'a.b': { c: 1 } },
      'string-leaf': { a: { b: { c: '1' } } },
      'array-leaf': { a: { b: { c: [1] } } },
      'null-parent': { a: null },
    };
    // Ten segments, the most a path may have, where the adapter nests that deep.
    const tenDeep = service.capabilities.maxNestingDepth >= 11;
    if (tenDeep) docs['ten-deep'] = deep(10, 'leaf') as object;
    await saveAll(service, collection, docs);
    await afterWrites(context, async () => {
      await expectFoundSet(service, collection, { where: [['a.b.c', '==', 1]] }, ['nested']);
      await expectFoundSet(service, collection, { where: [['a.b', '==', 1]] }, ['shallow']);
      await expectFoundSet(service, collection, { where: [['a.b.c', 'in', [1, '1']]] }, [
        'nested',
        'string-leaf',
      ]);
      await expectFoundSet(service, collection, { where: [['a', '==', null]] }, ['null-parent']);
      await expectFoundSet(service, collection, { where: [['a.0.b.c', '==', 1]] }, []);
      if (tenDeep) {
        const path = Array.from({ length: 10 }, () => 'p').join('.');
        await expectFoundSet(service, collection, { where: [[path, '==', 'leaf']] }, ['ten-deep']);
      }
    });
  },

  async 'conditions are ANDed, and _id can be queried like a field'(context) {
    const { service, collection } = context;
    const docs: Record<string, object> = {};
    for (const kind of ['x', 'y']) for (const n of [1, 2, 3]) docs[`${kind}${n}`] = { kind, n };
    await saveAll(service, collection, docs);
    const cases: Array<[Query, string[]]> = [
      [
        {
          where: [
            ['kind', '==', 'x'],
            ['n', '==', 2],
          ],
        },
        ['x2'],
      ],
      [
        {
          where: [
            ['kind', '==', 'y'],
            ['n', 'in', [1, 3, 4]],
          ],
        },
        ['y1', 'y3'],
      ],
      [
        {
          where: [
            ['kind', '==', 'x'],
            ['n', '==', 2],
            ['n', '==', 3],
          ],
        },
        [],
      ],
      [{ where: [['_id', '==', 'y2']] }, ['y2']],
      [{ where: [['_id', 'in', ['x3', 'y1', 'nope']]] }, ['x3', 'y1']],
      [
        {
          where: [
            ['_id', '>=', 'x3'],
            ['_id', '<', 'y3'],
          ],
        },
        ['x3', 'y1', 'y2'],
      ],
      [
        {
          where: [
            ['kind', '==', 'x'],
            ['_id', '>', 'x1'],
          ],
        },
        ['x2', 'x3'],
      ],
    ];
    await afterWrites(context, async () => {
      for (const [query, ids] of cases) {
        await labelled(JSON.stringify(query), expectFound(service, collection, query, ids));
      }
    });
  },
});
