import {
  aboveRange,
  belowRange,
  type Condition,
  comparePositions,
  compareScalars,
  conditionMatches,
  type FindRequest,
  indexShape,
  type JsonScalar,
  type QueryOrder,
  type QueryPosition,
} from '@gofannon/db-core';
import { compareKeys, type IndexEntry, type MemoryIndex } from './memory-index';

/**
 * The ids of one page of a query that `index` serves (by core's rule: its first fields are
 * the query's equality fields, its last the order field), and whether more follow. It
 * reads index entries only, and only those near the page: for each combination of
 * equality values it finds that run of entries, narrows it to the range and the part
 * after the cursor by binary search, and takes `limit + 1` from the right end.
 */
export function pageFromIndex(
  index: MemoryIndex,
  request: FindRequest,
): { ids: string[]; more: boolean } {
  const { where, order, after, limit } = request;
  const entries = index.entries();
  const equalityCount = indexShape(where, order).equality.length;
  const valueAt = (entry: IndexEntry, field: string) =>
    field === '_id' ? entry.id : entry.key[index.fields.indexOf(field)];
  const position = (entry: IndexEntry): QueryPosition => ({
    value: valueAt(entry, order.field) as JsonScalar,
    id: entry.id,
  });
  // Within one run, index order is ascending query order: bound the run in that order.
  const ascending: QueryOrder = { field: order.field, direction: 'asc' };
  const onOrderField = where.filter((condition) => condition.field === order.field);
  const beforeStart = (entry: IndexEntry) => {
    const at = position(entry);
    if (onOrderField.some((condition) => belowRange(at.value, condition))) return true;
    return (
      order.direction === 'asc' && after !== null && comparePositions(at, after, ascending) <= 0
    );
  };
  const pastEnd = (entry: IndexEntry) => {
    const at = position(entry);
    if (onOrderField.some((condition) => aboveRange(at.value, condition))) return true;
    return (
      order.direction === 'desc' && after !== null && comparePositions(at, after, ascending) >= 0
    );
  };
  const holds = (entry: IndexEntry) =>
    where.every((condition) => conditionMatches(valueAt(entry, condition.field), condition));

  const candidates: IndexEntry[] = [];
  for (const prefix of equalityPrefixes(index.fields.slice(0, equalityCount), where)) {
    const runStart = firstWhere(
      entries,
      0,
      entries.length,
      (e) => compareKeys(e.key, prefix, equalityCount) >= 0,
    );
    const runEnd = firstWhere(
      entries,
      runStart,
      entries.length,
      (e) => compareKeys(e.key, prefix, equalityCount) > 0,
    );
    const start = firstWhere(entries, runStart, runEnd, (e) => !beforeStart(e));
    const end = firstWhere(entries, start, runEnd, pastEnd);
    const step = order.direction === 'asc' ? 1 : -1;
    let taken = 0;
    for (let i = step === 1 ? start : end - 1; i >= start && i < end && taken <= limit; i += step) {
      const entry = entries[i] as IndexEntry;
      if (!holds(entry)) continue;
      candidates.push(entry);
      taken += 1;
    }
  }
  candidates.sort((a, b) => comparePositions(position(a), position(b), order));
  return {
    ids: candidates.slice(0, limit).map((entry) => entry.id),
    more: candidates.length > limit,
  };
}

/**
 * Every combination of values the equality fields can take: one value per field from
 * its first `==` or `in` condition. Other conditions on those fields are checked entry
 * by entry.
 */
function equalityPrefixes(fields: readonly string[], where: readonly Condition[]): JsonScalar[][] {
  let prefixes: JsonScalar[][] = [[]];
  for (const field of fields) {
    const condition = where.find((c) => c.field === field && (c.op === '==' || c.op === 'in'));
    const listed =
      condition?.op === 'in' ? (condition.value as JsonScalar[]) : [condition?.value as JsonScalar];
    // `in [1, 1.0]` is one run, not two: a repeated value would repeat its documents.
    const values = listed.filter(
      (v, i) => listed.findIndex((w) => compareScalars(v, w) === 0) === i,
    );
    prefixes = prefixes.flatMap((prefix) => values.map((value) => [...prefix, value]));
  }
  return prefixes;
}

/** The first index in [from, to) where `test` holds, for a `test` that holds from some point on. */
function firstWhere<T>(
  items: readonly T[],
  from: number,
  to: number,
  test: (item: T) => boolean,
): number {
  let low = from;
  let high = to;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (test(items[mid] as T)) high = mid;
    else low = mid + 1;
  }
  return low;
}
