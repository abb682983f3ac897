import { ValidationError } from '../errors';
import { describe } from '../validation/names';
import { readPageSize } from '../validation/options';
import { isScalar } from './compare';
import type { Condition, JsonScalar, QueryOperator, QueryOrder } from './types';

/** Most values one `in` condition takes, as Firestore allows. */
export const MAX_IN_VALUES = 30;
/** Most segments of a field path. */
export const MAX_PATH_SEGMENTS = 10;

const OPERATORS: readonly string[] = ['==', 'in', '<', '<=', '>', '>='];
const RANGE_OPERATORS: readonly string[] = ['<', '<=', '>', '>='];
const QUERY_KEYS: readonly string[] = ['where', 'orderBy', 'limit', 'cursor', 'requireIndex'];

/** A query after validation, before its cursor is decoded. */
export interface ValidQuery {
  where: Condition[];
  order: QueryOrder;
  limit: number;
  cursor: string | null;
  requireIndex: boolean;
}

/** Whether an operator bounds a range. */
export function isRangeOperator(op: QueryOperator): boolean {
  return RANGE_OPERATORS.includes(op);
}

/**
 * Checks a query and derives its order. Every malformed part is 400 naming the part: the
 * message says `where[1]`, `orderBy` and so on, and the error's `path` points at it.
 */
export function readQuery(query: unknown, collection: string): ValidQuery {
  const invalid: Invalid = (path, problem) =>
    new ValidationError(`Invalid query: ${partName(path)} ${problem}`, { collection, path });
  if (query === undefined) query = {};
  if (typeof query !== 'object' || query === null || Array.isArray(query)) {
    throw new ValidationError(`Invalid query: it must be an object, got ${describe(query)}`, {
      collection,
    });
  }
  const raw = query as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (!QUERY_KEYS.includes(key)) {
      throw invalid(`/${key}`, `is not a query option: use ${QUERY_KEYS.join(', ')}`);
    }
  }
  const where = readWhere(raw.where, invalid);
  const order = readOrder(raw.orderBy, where, invalid);
  const limit = readPageSize(raw.limit, { collection });
  const cursor = raw.cursor ?? null;
  if (cursor !== null && typeof cursor !== 'string') {
    throw invalid('/cursor', `must be the nextCursor of an earlier page, got ${describe(cursor)}`);
  }
  const requireIndex = raw.requireIndex ?? false;
  if (typeof requireIndex !== 'boolean') {
    throw invalid('/requireIndex', `must be a boolean, got ${describe(requireIndex)}`);
  }
  return { where, order, limit, cursor, requireIndex };
}

/** Checks the fields of `ensureIndex`: 1 to 10 distinct valid paths. */
export function readIndexFields(index: unknown, collection: string): string[] {
  const fields = (index as { fields?: unknown } | null)?.fields;
  if (!Array.isArray(fields) || fields.length === 0 || fields.length > MAX_PATH_SEGMENTS) {
    throw new ValidationError(
      `Invalid index: pass { fields: [...] } with 1 to ${MAX_PATH_SEGMENTS} field paths, got ${describe(fields ?? index)}`,
      { collection, path: '/fields' },
    );
  }
  fields.forEach((field, i) => {
    const problem = pathProblem(field);
    if (problem === undefined && fields.indexOf(field) !== i) {
      throw new ValidationError(`Invalid index: fields[${i}] ${describe(field)} appears twice`, {
        collection,
        path: `/fields/${i}`,
      });
    }
    if (problem !== undefined) {
      throw new ValidationError(`Invalid index: fields[${i}] ${describe(field)}: ${problem}`, {
        collection,
        path: `/fields/${i}`,
      });
    }
  });
  return [...fields] as string[];
}

/** Makes the 400 for the part of the query at `path` (a JSON Pointer into the query). */
type Invalid = (path: string, problem: string) => ValidationError;

/** How a message names a part of the query: `/where/1` is `where[1]`, `/orderBy/field` is `orderBy.field`. */
function partName(path: string): string {
  return path
    .slice(1)
    .replace(/\/(\d+)/g, '[$1]')
    .replace(/\//g, '.');
}

function readWhere(value: unknown, invalid: Invalid): Condition[] {
  if (value === undefined) return [];
  if (!Array.isArray(value))
    throw invalid('/where', `must be an array of [field, op, value], got ${describe(value)}`);
  const where = value.map((clause, i) => readCondition(clause, `/where/${i}`, invalid));
  const rangeFields = where.filter((c) => isRangeOperator(c.op)).map((c) => c.field);
  const second = rangeFields.findIndex((field) => field !== rangeFields[0]);
  if (second !== -1) {
    const index = where.findIndex((c) => isRangeOperator(c.op) && c.field === rangeFields[second]);
    throw invalid(
      `/where/${index}`,
      `is a range on ${describe(rangeFields[second])}, but ${describe(rangeFields[0])} has one already: ranges may bound one field only`,
    );
  }
  return where;
}

function readCondition(clause: unknown, path: string, invalid: Invalid): Condition {
  if (!Array.isArray(clause) || clause.length !== 3) {
    throw invalid(path, `must be [field, op, value], got ${describe(clause)}`);
  }
  const [field, op, value] = clause as [unknown, unknown, unknown];
  const fieldProblem = pathProblem(field);
  if (fieldProblem !== undefined)
    throw invalid(path, `has field ${describe(field)}: ${fieldProblem}`);
  if (typeof op !== 'string' || !OPERATORS.includes(op)) {
    throw invalid(path, `has unknown operator ${describe(op)}: use ${OPERATORS.join(', ')}`);
  }
  if (op === 'in') {
    if (!Array.isArray(value) || value.length === 0 || value.length > MAX_IN_VALUES) {
      throw invalid(
        path,
        `'in' takes an array of 1 to ${MAX_IN_VALUES} values, got ${Array.isArray(value) ? `${value.length} values` : describe(value)}`,
      );
    }
    const bad = value.findIndex((v) => !isScalar(v));
    if (bad !== -1)
      throw invalid(
        path,
        `has ${describe(value[bad])} at in[${bad}]: values are null, booleans, finite numbers or well-formed strings`,
      );
    return { field: field as string, op, value: [...value] as JsonScalar[] };
  }
  if (!isScalar(value)) {
    throw invalid(
      path,
      `compares with ${describe(value)}: values are null, booleans, finite numbers or well-formed strings`,
    );
  }
  return { field: field as string, op: op as QueryOperator, value };
}

function readOrder(value: unknown, where: readonly Condition[], invalid: Invalid): QueryOrder {
  const range = where.findIndex((c) => isRangeOperator(c.op));
  const rangeField = range === -1 ? undefined : (where[range] as Condition).field;
  if (value === undefined) return { field: rangeField ?? '_id', direction: 'asc' };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid('/orderBy', `must be { field, direction? }, got ${describe(value)}`);
  }
  const { field, direction = 'asc', ...rest } = value as Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined)
    throw invalid(`/orderBy/${extra}`, 'is not an orderBy option: use field and direction');
  const problem = pathProblem(field);
  if (problem !== undefined) throw invalid('/orderBy/field', `${describe(field)}: ${problem}`);
  if (direction !== 'asc' && direction !== 'desc') {
    throw invalid('/orderBy/direction', `must be 'asc' or 'desc', got ${describe(direction)}`);
  }
  if (rangeField !== undefined && rangeField !== field) {
    throw invalid(
      `/where/${range}`,
      `is a range on ${describe(rangeField)}, but the query is ordered by ${describe(field)}: a range must be on the orderBy field`,
    );
  }
  return { field: field as string, direction };
}

/** Why a field path is not one, or `undefined` when it is. */
function pathProblem(field: unknown): string | undefined {
  if (typeof field !== 'string') return 'a field is a dot path string';
  const segments = field.split('.');
  if (segments.some((segment) => segment.length === 0)) return 'a path has no empty segments';
  if (segments.length > MAX_PATH_SEGMENTS)
    return `a path has at most ${MAX_PATH_SEGMENTS} segments`;
  if (!field.isWellFormed()) return 'a path is well-formed Unicode';
  const top = segments[0] as string;
  if (top.startsWith('_') && (top !== '_id' || segments.length > 1)) {
    return "top-level names starting with '_' are reserved; only _id can be queried";
  }
  return undefined;
}
