import { type JsonScalar, typeRank } from '@gofannon/db-core';

/**
 * The SQL of one field's sort key, over the jsonb `doc` column. Core's order of scalars
 * (null < false < true < numbers < strings, numbers numerically, strings by code point)
 * becomes three columns that btree compares in turn:
 *
 * - `rank`: 0 null, 1 false, 2 true, 3 a number, 4 a string; SQL NULL when the path
 *   leads to nothing, an array or an object, which no condition matches;
 * - `number`: the value as numeric for numbers (so `1` and `1.0` are equal), else 0;
 * - `text`: the string in the "C" collation for strings (byte order, which is code-point
 *   order in a UTF-8 database), else ''.
 *
 * The columns a value does not use hold a constant rather than NULL, so that an equality
 * pins all three: the planner then sees the index as ordered by the fields after them.
 * `_find`'s conditions and `_ensureIndex`'s index use exactly these texts, which is
 * what lets the planner match the one to the other.
 */
export interface FieldKey {
  rank: string;
  number: string;
  text: string;
}

/** A value's place in the three key columns, as parameters. */
export type KeyValues = [rank: number, number: string, text: string];

/** The key columns of a dot path (never `_id`, which is the `id` column). */
export function fieldKey(field: string): FieldKey {
  let key = recentKeys.get(field);
  if (key === undefined) {
    key = keyColumns(field);
    if (recentKeys.size >= MAX_RECENT_KEYS) recentKeys.clear();
    recentKeys.set(field, key);
  }
  return key;
}

/**
 * The key columns of the fields queried lately: every query page names its fields again,
 * and their SQL is long; an application queries few distinct fields.
 */
const recentKeys = new Map<string, FieldKey>();
const MAX_RECENT_KEYS = 512;

function keyColumns(field: string): FieldKey {
  const value = valueAt(field);
  const type = `jsonb_typeof(${value})`;
  return {
    rank: `(CASE ${type} WHEN 'null' THEN 0 WHEN 'boolean' THEN CASE WHEN ${value}::boolean THEN 2 ELSE 1 END WHEN 'number' THEN 3 WHEN 'string' THEN 4 END)`,
    number: `(CASE WHEN ${type} = 'number' THEN ${value}::numeric ELSE 0 END)`,
    text: `((CASE WHEN ${type} = 'string' THEN ${value} #>> '{}' ELSE '' END) COLLATE "C")`,
  };
}

/** A scalar's key values: what the key columns hold for a stored value equal to it. */
export function keyValues(value: JsonScalar): KeyValues {
  if (typeof value === 'number') return [3, String(value), ''];
  if (typeof value === 'string') return [4, '0', value];
  if (typeof value === 'boolean') return [value ? 2 : 1, '0', ''];
  return [0, '0', ''];
}

/** The ranks of a scalar's type, lowest and highest: a range bound matches only its own type. */
export function typeRanks(value: JsonScalar): [low: number, high: number] {
  return [
    [0, 0],
    [1, 2],
    [3, 3],
    [4, 4],
  ][typeRank(value)] as [number, number];
}

/**
 * The jsonb at a path, by `->` with text keys only: on an array `->` with a text key is
 * NULL, so a path never reaches into an array, as the contract wants. Path segments are
 * names, not values: they must be literal so that a query's expression equals its
 * index's; they go in as escaped string literals (E'' form, whatever the server's
 * standard_conforming_strings). A segment with U+0000 names no stored field (jsonb holds
 * no U+0000) and cannot be written in SQL: such a path is NULL.
 */
function valueAt(field: string): string {
  const segments = field.split('.');
  if (segments.some((segment) => segment.includes('\u0000'))) return '(NULL::jsonb)';
  return `(doc${segments.map((segment) => ` -> ${literal(segment)}::text`).join('')})`;
}

function literal(text: string): string {
  return `E'${text.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}
