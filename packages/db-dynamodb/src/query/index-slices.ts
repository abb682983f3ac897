import {
  compareCodePoints,
  compareScalars,
  type FindRequest,
  type JsonScalar,
} from '@gofannon/db-core';
import { type GlobalIndex, partitionKey } from './index-definitions';
import {
  isCut,
  keyCeiling,
  SORT_KEY_CODE_POINTS,
  scalarKey,
  typeCeiling,
  typeFloor,
} from './index-keys';

/**
 * One stretch of an index that a query reads: one partition key, and the sort keys from
 * `low` to `high` (inclusive, either absent: open). Bounds may be wider than the query
 * (a cut string's whole block, the item a cursor names): the items read are checked again
 * with core's rules, so a slice only has to hold every item that matches.
 */
export interface IndexSlice {
  partition: string;
  low?: string;
  high?: string;
  /**
   * The sort key of the cursor's position, where the slice is read from (exclusive): the
   * next page continues as DynamoDB's own `LastEvaluatedKey` would, and the cursor's own
   * document is not read again.
   */
  after?: string;
  /** True when the slice is sorted by the query's order field (else by id alone). */
  sortedByValue: boolean;
}

/**
 * The slices of `index` that hold every match of the request after its cursor, or
 * `undefined` when there would be more than `maxSlices` (`in` on several fields):
 * one slice per combination of equality values; the order field's ranges and the cursor
 * narrow the sort keys.
 */
export function indexSlices(
  index: GlobalIndex,
  request: FindRequest,
  maxSlices: number,
): IndexSlice[] | undefined {
  const { where, order, after } = request;
  const last = index.fields.at(-1) as string;
  const equalityValues = (field: string): JsonScalar[] | undefined => {
    const clause = where.find((c) => c.field === field && (c.op === '==' || c.op === 'in'));
    if (clause === undefined) return undefined;
    const values =
      clause.op === 'in' ? [...(clause.value as JsonScalar[])] : [clause.value as JsonScalar];
    return values
      .sort(compareScalars)
      .filter((v, i) => i === 0 || compareScalars(v, values[i - 1] as JsonScalar) !== 0);
  };
  const head = index.fields.slice(0, -1).map((field) => equalityValues(field) ?? []);
  const lastValues = equalityValues(last);
  const count = head.reduce((n, values) => n * values.length, lastValues?.length ?? 1);
  if (count > maxSlices) return undefined;
  const asc = order.direction === 'asc';
  const slices: IndexSlice[] = [];
  for (const combination of combinations(head)) {
    const partition = partitionKey(combination);
    if (lastValues === undefined) {
      // Sorted by the last field, the order field: its ranges and the cursor bound the keys.
      let low: string | undefined;
      let high: string | undefined;
      const raise = (key: string) => {
        if (low === undefined || compareCodePoints(key, low) > 0) low = key;
      };
      const lower = (key: string) => {
        if (high === undefined || compareCodePoints(key, high) < 0) high = key;
      };
      for (const c of where) {
        if (c.field !== last || c.op === '==' || c.op === 'in') continue;
        const bound = c.value as JsonScalar;
        const key = scalarKey(bound, SORT_KEY_CODE_POINTS);
        if (c.op === '>' || c.op === '>=') {
          raise(key);
          lower(typeCeiling(bound));
        } else {
          raise(typeFloor(bound));
          lower(keyCeiling(key));
        }
      }
      let start: string | undefined;
      if (after) {
        const key = scalarKey(after.value, SORT_KEY_CODE_POINTS);
        // A cut value's block is ordered by id, not by value: read it whole again.
        if (!isCut(after.value, SORT_KEY_CODE_POINTS)) start = `${key}${after.id}`;
        else if (asc) raise(key);
        else lower(keyCeiling(key));
      }
      slices.push({ partition, low, high, after: start, sortedByValue: true });
      continue;
    }
    for (const value of lastValues) {
      // Every matching item of this slice has these values: sorted by id alone.
      const key = scalarKey(value, SORT_KEY_CODE_POINTS);
      let start: string | undefined;
      if (after) {
        const orderValue = sliceValue(order.field, index.fields, [...combination, value]);
        const place = orderValue === undefined ? 0 : compareScalars(orderValue, after.value);
        if (asc ? place < 0 : place > 0) continue;
        if (place === 0) start = `${key}${after.id}`;
      }
      slices.push({
        partition,
        low: key,
        high: keyCeiling(key),
        after: start,
        sortedByValue: false,
      });
    }
  }
  return slices;
}

/** The value every match in a slice has at `field` (`undefined` for `_id`, which varies). */
function sliceValue(
  field: string,
  fields: readonly string[],
  values: readonly JsonScalar[],
): JsonScalar | undefined {
  const at = fields.indexOf(field);
  return at === -1 ? undefined : values[at];
}

function* combinations(lists: readonly JsonScalar[][]): Generator<JsonScalar[]> {
  if (lists.length === 0) {
    yield [];
    return;
  }
  const [first, ...rest] = lists as [JsonScalar[], ...JsonScalar[][]];
  for (const tail of combinations(rest)) for (const value of first) yield [value, ...tail];
}
