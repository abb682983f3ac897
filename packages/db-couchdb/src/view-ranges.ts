import {
  type Condition,
  compareScalars,
  conditionMatches,
  type FindRequest,
  indexShape,
  type JsonScalar,
  typeRank,
} from '@gofannon/db-core';
import { ABOVE, compareKeys, fieldPart, idPart, type ViewKey, type ViewKeyPart } from './view-keys';

/** One stretch of an index view, both ends inclusive, `low` below `high` in raw collation. */
export interface KeyRange {
  low: ViewKey;
  high: ViewKey;
}

/**
 * More key prefixes than this (`in` on several fields multiplies them) and a page would
 * read too many stretches of the view: core's scan answers such a query instead.
 */
export const MAX_RANGES = 64;

const RANGE_OPERATORS = new Set(['<', '<=', '>', '>=']);

/**
 * The stretches of the view of `request.index` that hold the query's next page: one per
 * combination of the equality fields' values, each cut by the range conditions and by
 * the cursor. Rows of one stretch come in the query's order; stretches are merged by
 * core's order. Bounds may hold a few rows the query does not match (the cursor's own
 * row, an excluded end, conditions on `_id`): the caller filters rows with core's rules.
 * `undefined` when there would be more than {@link MAX_RANGES} stretches.
 */
export function viewRanges(
  request: FindRequest & { index: readonly string[] },
): KeyRange[] | undefined {
  const { where, order, after, index } = request;
  const shape = indexShape(where, order);
  const equalityFields = index.slice(0, shape.equality.length);
  const prefixes = combinations(equalityFields.map((field) => allowedValues(field, where)));
  if (prefixes === undefined) return undefined;

  const ranges: KeyRange[] = [];
  for (const values of prefixes) {
    const prefix: ViewKey = values.map(fieldPart);
    const lows: ViewKey[] = [prefix];
    const highs: ViewKey[] = [[...prefix, ABOVE]];
    const bound = (side: 'low' | 'high', tail: ViewKey) =>
      (side === 'low' ? lows : highs).push([...prefix, ...tail]);
    const cursorSide = order.direction === 'asc' ? 'low' : 'high';

    if (shape.order !== undefined) {
      // The order field follows the prefix: its ranges and the cursor bound it.
      const ranged = where.filter((c) => c.field === shape.order && RANGE_OPERATORS.has(c.op));
      if (!rangeBounds(ranged, bound, fieldPart)) continue;
      if (after) bound(cursorSide, [fieldPart(after.value), idPart(after.id)]);
    } else {
      // Rows of one prefix come in id order; ranges on `_id` and the cursor bound the id.
      if (order.field === '_id') {
        const ranged = where.filter((c) => c.field === '_id' && RANGE_OPERATORS.has(c.op));
        if (!rangeBounds(ranged, bound, (value) => idPart(value as string))) continue;
        if (after) bound(cursorSide, [idPart(after.id)]);
      } else if (after) {
        // Ordered by an equality field: its value is the same all through the prefix.
        const value = values[equalityFields.indexOf(order.field)] as JsonScalar;
        const byValue = compareScalars(value, after.value);
        const behind = order.direction === 'asc' ? byValue < 0 : byValue > 0;
        if (behind) continue;
        if (byValue === 0) bound(cursorSide, [idPart(after.id)]);
      }
    }
    const low = lows.reduce((a, b) => (compareKeys(a, b) >= 0 ? a : b));
    const high = highs.reduce((a, b) => (compareKeys(a, b) <= 0 ? a : b));
    if (compareKeys(low, high) <= 0) ranges.push({ low, high });
  }
  return ranges;
}

/**
 * Adds the bounds of range conditions on one key element; false when they cannot all
 * hold (bounds of two types: a bound matches only values of its own type, or an `_id`
 * bound that is no string). `part` makes the element of a bound value.
 */
function rangeBounds(
  ranged: readonly Condition[],
  bound: (side: 'low' | 'high', tail: ViewKey) => void,
  part: (value: JsonScalar) => ViewKeyPart[],
): boolean {
  if (ranged.length === 0) return true;
  const ranks = new Set(ranged.map((c) => typeRank(c.value as JsonScalar)));
  if (ranks.size > 1) return false;
  const isId = ranged[0]?.field === '_id';
  if (isId && typeof ranged[0]?.value !== 'string') return false;
  if (!isId) {
    // Only the bound's own type: from the start of its rank to the start of the next.
    const rank = [...ranks][0] as number;
    bound('low', [[rank]]);
    bound('high', [[rank + 1]]);
  }
  for (const { op, value } of ranged) {
    const element = part(value as JsonScalar);
    if (op === '>') bound('low', [[...element, ABOVE]]);
    if (op === '>=') bound('low', [element]);
    if (op === '<') bound('high', [element]);
    if (op === '<=') bound('high', [[...element, ABOVE]]);
  }
  return true;
}

/**
 * The values an equality field may hold: those of its first `==` or `in`, each once,
 * that pass every condition on the field (core's rules decide).
 */
function allowedValues(field: string, where: readonly Condition[]): JsonScalar[] {
  const conditions = where.filter((c) => c.field === field);
  const listed = conditions.find((c) => c.op === '==' || c.op === 'in');
  const values =
    listed?.op === 'in' ? (listed.value as JsonScalar[]) : [listed?.value as JsonScalar];
  return values.filter(
    (value, i) =>
      values.findIndex((other) => compareScalars(value, other) === 0) === i &&
      conditions.every((condition) => conditionMatches(value, condition)),
  );
}

/** Every combination of one value per field, or `undefined` when there are too many. */
function combinations(choices: readonly JsonScalar[][]): JsonScalar[][] | undefined {
  const count = choices.reduce((product, values) => product * values.length, 1);
  if (count > MAX_RANGES) return undefined;
  let result: JsonScalar[][] = [[]];
  for (const values of choices) {
    result = result.flatMap((prefix) => values.map((value) => [...prefix, value]));
  }
  return result;
}
