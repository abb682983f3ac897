import type { JsonObject, JsonValue } from '../types';
import { compareScalars, isScalar, typeRank } from './compare';
import type { Condition, JsonScalar } from './types';

/**
 * The value at a dot path (`request.user_id`), or `undefined` when the path leads
 * nowhere. Only plain objects are entered: a path never reaches into an array, and only
 * own properties count, so `constructor` or `__proto__` name stored fields only.
 */
export function valueAtPath(doc: JsonObject, field: string): JsonValue | undefined {
  let current: JsonValue | undefined = doc;
  for (const segment of field.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    if (!Object.hasOwn(current, segment)) return undefined;
    current = current[segment];
  }
  return current;
}

/**
 * Whether a stored value satisfies one condition. Type-strict: a missing field, an array
 * or an object matches nothing; `==` needs the same type and value (numbers numerically);
 * a range bound matches only values of its own type.
 */
export function conditionMatches(stored: JsonValue | undefined, condition: Condition): boolean {
  if (!isScalar(stored)) return false;
  const { op, value } = condition;
  if (op === 'in')
    return (value as readonly JsonScalar[]).some((v) => compareScalars(stored, v) === 0);
  if (op === '==') return compareScalars(stored, value as JsonScalar) === 0;
  return !belowRange(stored, condition) && !aboveRange(stored, condition);
}

/**
 * True when `value` sorts before every value this range condition accepts. With
 * {@link aboveRange} it bounds a range as one stretch of the order of scalars, which is
 * how an index finds where a range starts and ends; a non-range condition bounds nothing.
 */
export function belowRange(value: JsonScalar, condition: Condition): boolean {
  const bound = condition.value as JsonScalar;
  switch (condition.op) {
    case '>':
      return compareScalars(value, bound) <= 0;
    case '>=':
      return compareScalars(value, bound) < 0;
    case '<':
    case '<=':
      return typeRank(value) < typeRank(bound);
    default:
      return false;
  }
}

/** True when `value` sorts after every value this range condition accepts. */
export function aboveRange(value: JsonScalar, condition: Condition): boolean {
  const bound = condition.value as JsonScalar;
  switch (condition.op) {
    case '<':
      return compareScalars(value, bound) >= 0;
    case '<=':
      return compareScalars(value, bound) > 0;
    case '>':
    case '>=':
      return typeRank(value) > typeRank(bound);
    default:
      return false;
  }
}

/** Whether a document satisfies every condition (they are ANDed). `_id` is a field like any other. */
export function matchesWhere(doc: JsonObject, where: readonly Condition[]): boolean {
  return where.every((condition) => conditionMatches(valueAtPath(doc, condition.field), condition));
}
