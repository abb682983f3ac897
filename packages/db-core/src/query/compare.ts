import type { JsonScalar } from './types';

/**
 * Compares strings by Unicode code point, which is UTF-8 byte order. JavaScript's `<`
 * compares UTF-16 code units and so puts astral characters (surrogate pairs, D800-DFFF)
 * before U+E000..U+FFFF; PostgreSQL's "C" collation, Firestore and DynamoDB use byte
 * order, and so does every adapter through this function.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/**
 * At the first differing code unit of two well-formed strings, surrogates stand for code
 * points above U+FFFF: moving them above E000-FFFF gives code-point order.
 */
function codePointRank(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800) return unit + 0x2000;
  return unit;
}

/** The position of a scalar's type in the order across types: null < booleans < numbers < strings. */
export function typeRank(value: JsonScalar): number {
  if (value === null) return 0;
  switch (typeof value) {
    case 'boolean':
      return 1;
    case 'number':
      return 2;
    default:
      return 3;
  }
}

/**
 * The one order of scalars: by type (null < false < true < numbers < strings), numbers
 * numerically, strings by code point.
 */
export function compareScalars(a: JsonScalar, b: JsonScalar): number {
  const byType = typeRank(a) - typeRank(b);
  if (byType !== 0) return byType;
  if (typeof a === 'string') return compareCodePoints(a, b as string);
  if (typeof a === 'number') return a - (b as number);
  if (typeof a === 'boolean') return Number(a) - Number(b);
  return 0;
}

/** True for a value a query can compare: null, a boolean, a finite number or a well-formed string. */
export function isScalar(value: unknown): value is JsonScalar {
  switch (typeof value) {
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'string':
      return value.isWellFormed();
    default:
      return value === null;
  }
}
