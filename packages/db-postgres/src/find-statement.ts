import {
  type Condition,
  compareScalars,
  type FindRequest,
  type JsonScalar,
  type QueryOperator,
} from '@gofannon/db-core';
import { type FieldKey, fieldKey, keyValues, typeRanks } from './query-keys';

/** One SELECT and its parameters. */
export interface Statement {
  text: string;
  values: unknown[];
}

type RangeOperator = Exclude<QueryOperator, '==' | 'in'>;

/**
 * The one statement of a query page: every condition, the cursor and the order in SQL,
 * `limit + 1` rows so that the extra one tells whether more follow. Keyset paging on the
 * order field's key and the id, never OFFSET. Only the table name and the field paths
 * (see {@link fieldKey}) are SQL text; every value is a parameter.
 */
export function findStatement(table: string, request: FindRequest): Statement {
  const values: unknown[] = [];
  const param = (value: unknown, type: string) => {
    values.push(value);
    return `$${values.length}::${type}`;
  };
  const keyParams = (value: JsonScalar) => {
    const [rank, number, text] = keyValues(value);
    return [param(rank, 'int'), param(number, 'numeric'), param(text, 'text')];
  };
  const where = request.where.map((condition) =>
    condition.field === '_id'
      ? idCondition(condition, param)
      : fieldCondition(fieldKey(condition.field), condition, param, keyParams),
  );

  const { order, after, limit } = request;
  const direction = order.direction === 'asc' ? 'ASC' : 'DESC';
  const beyond = order.direction === 'asc' ? '>' : '<';
  let sortColumns: string[];
  if (order.field === '_id') {
    sortColumns = ['id'];
    if (after) where.push(`id ${beyond} ${param(after.id, 'text')}`);
  } else {
    const key = fieldKey(order.field);
    sortColumns = [key.rank, key.number, key.text, 'id'];
    // Documents with no scalar at the order field are left out of ordered results.
    where.push(`${key.rank} IS NOT NULL`);
    if (after) {
      const position = [...keyParams(after.value), param(after.id, 'text')];
      where.push(`(${sortColumns.join(', ')}) ${beyond} (${position.join(', ')})`);
    }
  }
  const text = `SELECT id, rev, doc FROM ${table}
    WHERE ${where.length > 0 ? where.join('\n      AND ') : 'TRUE'}
    ORDER BY ${sortColumns.map((column) => `${column} ${direction}`).join(', ')}
    LIMIT ${param(limit + 1, 'int')}`;
  return { text, values };
}

/** A condition on a field's key columns, by core's rules of matching. */
function fieldCondition(
  key: FieldKey,
  condition: Condition,
  param: (value: unknown, type: string) => string,
  keyParams: (value: JsonScalar) => string[],
): string {
  const { op, value } = condition;
  if (op === '==' || op === 'in') {
    const listed = op === 'in' ? (value as JsonScalar[]) : [value as JsonScalar];
    const distinct = listed.filter(
      (v, i) => !hasNul(v) && listed.findIndex((w) => compareScalars(v, w) === 0) === i,
    );
    if (distinct.length === 0) return 'FALSE';
    const columns = `(${key.rank}, ${key.number}, ${key.text})`;
    // One value is three equalities, which let an index serve the order after them.
    if (distinct.length === 1) {
      const [rank, number, text] = keyParams(distinct[0] as JsonScalar);
      return `${key.rank} = ${rank} AND ${key.number} = ${number} AND ${key.text} = ${text}`;
    }
    return `${columns} IN (${distinct.map((v) => `(${keyParams(v).join(', ')})`).join(', ')})`;
  }
  const bound = value as JsonScalar;
  const range = op as RangeOperator;
  if (typeof bound === 'number')
    return `${key.rank} = 3 AND ${key.number} ${range} ${param(bound, 'numeric')}`;
  if (typeof bound === 'string') {
    const [text, textOp] = withoutNul(bound, range);
    return `${key.rank} = 4 AND ${key.text} ${textOp} ${param(text, 'text')}`;
  }
  // null and booleans: their values are their ranks.
  const [low, high] = typeRanks(bound);
  const [rank] = keyValues(bound);
  return `${key.rank} BETWEEN ${param(low, 'int')} AND ${param(high, 'int')} AND ${key.rank} ${range} ${param(rank, 'int')}`;
}

/** A condition on `_id`: the id column, a string; a bound of another type matches nothing. */
function idCondition(
  condition: Condition,
  param: (value: unknown, type: string) => string,
): string {
  const { op, value } = condition;
  if (op === '==' || op === 'in') {
    const listed = op === 'in' ? (value as JsonScalar[]) : [value as JsonScalar];
    const ids = listed.filter((v): v is string => typeof v === 'string' && !hasNul(v));
    return ids.length === 0 ? 'FALSE' : `id = ANY(${param(ids, 'text[]')})`;
  }
  if (typeof value !== 'string') return 'FALSE';
  const [text, textOp] = withoutNul(value, op as RangeOperator);
  return `id ${textOp} ${param(text, 'text')}`;
}

function hasNul(value: JsonScalar): boolean {
  return typeof value === 'string' && value.includes('\u0000');
}

/**
 * A string bound that PostgreSQL can take: text holds no U+0000, and neither does any
 * stored string. Against strings without it, a bound "ab\0..." splits them exactly where
 * "ab" does: above it is above "ab", below it is at most "ab".
 */
function withoutNul(bound: string, op: RangeOperator): [string, RangeOperator] {
  const nul = bound.indexOf('\u0000');
  if (nul < 0) return [bound, op];
  return [bound.slice(0, nul), op === '>' || op === '>=' ? '>' : '<='];
}
