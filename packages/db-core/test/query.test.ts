import { describe, expect, it } from 'vitest';
import {
  compareCodePoints,
  compareScalars,
  defineCapabilities,
  indexShape,
  type JsonScalar,
  selectIndex,
  servedByPrimaryKey,
} from '../src';
import { readQuery } from '../src/query/validate';

/** Characters on both sides of every boundary where UTF-16 and code-point order differ. */
const ALPHABET = [
  'a',
  'B',
  'é',
  '\u07ff',
  '\u0800',
  '\ud7ff',
  '\ue000',
  '\uffff',
  '\u{10000}',
  '😀',
  '\u{10ffff}',
];

describe('compareCodePoints', () => {
  it('agrees with the byte order of UTF-8 on strings across every boundary', () => {
    const strings: string[] = [''];
    for (const a of ALPHABET) for (const b of ALPHABET) strings.push(a, a + b);
    const disagreements: string[] = [];
    for (const a of strings) {
      for (const b of strings) {
        const bytes = Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));
        if (Math.sign(compareCodePoints(a, b)) !== bytes) disagreements.push(`${a} vs ${b}`);
      }
    }
    expect(disagreements).toEqual([]);
  });
});

describe('compareScalars', () => {
  it('orders null < false < true < numbers < strings, numbers numerically', () => {
    const ordered: JsonScalar[] = [null, false, true, -10, -1, 0, 2, 10, '', '10', '2', 'a'];
    const shuffled = [...ordered].reverse();
    expect(shuffled.sort(compareScalars)).toEqual(ordered);
    expect(compareScalars(1, 1.0)).toBe(0);
    expect(compareScalars(-0, 0) === 0).toBe(true);
  });
});

describe('the index-selection rule', () => {
  const shapeOf = (query: object) => {
    const { where, order } = readQuery(query, 'c');
    return indexShape(where, order);
  };

  it('takes the equality fields in any order, then the order or range field', () => {
    const shape = shapeOf({
      where: [
        ['a', '==', 1],
        ['b', 'in', [1, 2]],
        ['c', '>', 0],
      ],
    });
    expect(shape).toEqual({ equality: ['a', 'b'], order: 'c' });
    expect(
      selectIndex(shape, [
        ['a', 'c', 'b'],
        ['b', 'a', 'c'],
      ]),
    ).toEqual(['b', 'a', 'c']);
    expect(
      selectIndex(shape, [
        ['a', 'b'],
        ['a', 'b', 'c', 'd'],
        ['c', 'a', 'b'],
      ]),
    ).toBeUndefined();
  });

  it('needs no index for _id alone, and none for _id beside other fields', () => {
    expect(servedByPrimaryKey(shapeOf({}))).toBe(true);
    expect(
      servedByPrimaryKey(shapeOf({ where: [['_id', '>', 'a']], orderBy: { field: '_id' } })),
    ).toBe(true);
    expect(
      shapeOf({
        where: [
          ['a', '==', 1],
          ['_id', 'in', ['x']],
        ],
      }),
    ).toEqual({ equality: ['a'] });
    expect(shapeOf({ where: [['a', '==', 1]], orderBy: { field: 'a' } })).toEqual({
      equality: ['a'],
    });
  });
});

describe('capabilities.queries', () => {
  it('is consistent by default and needs a convergence bound when not', () => {
    const base = { maxDocumentBytes: 1024, maxNestingDepth: 10, atomicBatches: false };
    expect(defineCapabilities(base).queries).toEqual({ consistent: true });
    expect(
      defineCapabilities({ ...base, queries: { consistent: false, convergenceMs: 5000 } }).queries,
    ).toEqual({
      consistent: false,
      convergenceMs: 5000,
    });
    expect(() =>
      defineCapabilities({ ...base, queries: { consistent: false, convergenceMs: 0 } }),
    ).toThrow(/convergenceMs/);
  });
});
