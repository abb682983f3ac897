import type { JsonScalar } from '@gofannon/db-core';

/**
 * Order-preserving text keys of scalars, for the string key attributes of global
 * secondary indexes. DynamoDB compares S keys by their UTF-8 bytes, which is code-point
 * order, so a key is built such that code-point order of keys is core's order of scalars:
 *
 * - a type prefix: `0` null, `1` false, `2` true, `3` a number, `4` a string;
 * - a number: its IEEE double as 16 hex digits, sign bit flipped for positives and every
 *   bit flipped for negatives, so that byte order is numeric order (`-0` is `0`);
 * - a string: the string itself with U+0000 and U+0001 escaped (as U+0001 U+0002 and
 *   U+0001 U+0003), so U+0001 U+0001 can end it: a shorter string sorts before a longer
 *   one it begins, and no key contains U+0000;
 * - an end mark: U+0001 U+0001, or U+0001 U+0005 for a string cut to fit (below).
 *
 * Keys are limited (1024 bytes of sort key, 2048 of partition key), strings are not: a
 * string longer than `maxCodePoints` keeps its first `maxCodePoints` code points and the
 * cut mark. Cut keys sort after every uncut key they begin, so the map from values to keys
 * still never reverses the order; values that share a cut key form one block in the
 * index, in which `_find` reads every item and orders them with core's rules.
 */

const END = '\u0001\u0001';
const CUT = '\u0001\u0005';

/** Code points kept of a string in a sort key: 4 bytes each at most, beside a 512-byte id. */
export const SORT_KEY_CODE_POINTS = 120;
/** Code points kept of a string in a partition key, which holds up to 10 values. */
export const PARTITION_KEY_CODE_POINTS = 48;

/** The type prefix of each type rank; the prefix after the last bounds strings from above. */
const TYPE_PREFIX = ['0', '1', '3', '4', '5'] as const;

/** The key of a scalar, ending with its end mark (or cut mark). */
export function scalarKey(value: JsonScalar, maxCodePoints: number): string {
  if (value === null) return `0${END}`;
  if (value === false) return `1${END}`;
  if (value === true) return `2${END}`;
  if (typeof value === 'number') return `3${numberDigits(value)}${END}`;
  const codePoints = [...value];
  if (codePoints.length <= maxCodePoints) return `4${escapeMarks(value)}${END}`;
  return `4${escapeMarks(codePoints.slice(0, maxCodePoints).join(''))}${CUT}`;
}

/** Whether a string's key is cut, so that its index block must be read whole. */
export function isCut(value: JsonScalar, maxCodePoints: number): boolean {
  return (
    typeof value === 'string' && value.length > maxCodePoints && [...value].length > maxCodePoints
  );
}

/**
 * A text just above every key that begins with `key` (a scalar's key, end mark included):
 * the end mark's last character, one higher. No real key equals it, so an inclusive
 * bound on it is an exclusive one.
 */
export function keyCeiling(key: string): string {
  const last = key.charCodeAt(key.length - 1);
  return `${key.slice(0, -1)}${String.fromCharCode(last + 1)}`;
}

/** The lowest key of a type: every key of a value of this type starts with it. */
export function typeFloor(value: JsonScalar): string {
  return TYPE_PREFIX[typeRankOf(value)] as string;
}

/** A text above every key of a value of this type, below every key of the next type. */
export function typeCeiling(value: JsonScalar): string {
  return TYPE_PREFIX[typeRankOf(value) + 1] as string;
}

/** null 0, booleans 1 (both `1` and `2` prefixes, ranges over booleans span both), numbers 2, strings 3. */
function typeRankOf(value: JsonScalar): number {
  if (value === null) return 0;
  if (typeof value === 'boolean') return 1;
  return typeof value === 'number' ? 2 : 3;
}

const bits = new DataView(new ArrayBuffer(8));

function numberDigits(value: number): string {
  bits.setFloat64(0, value === 0 ? 0 : value);
  let high = bits.getUint32(0);
  let low = bits.getUint32(4);
  if (high & 0x80000000) {
    high = ~high >>> 0;
    low = ~low >>> 0;
  } else high = (high | 0x80000000) >>> 0;
  return high.toString(16).padStart(8, '0') + low.toString(16).padStart(8, '0');
}

function escapeMarks(text: string): string {
  // U+0001 first: the escape of U+0000 holds one.
  return text.replaceAll('\u0001', '\u0001\u0003').replaceAll('\u0000', '\u0001\u0002');
}
