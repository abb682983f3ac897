import { type Condition, compareScalars, type JsonScalar } from '@gofannon/db-core';

/**
 * How the conditions of a query go to Firestore. Firestore matches `==`, `in` and ranges
 * type-strictly as the contract does (`== 1` matches 1 and 1.0, not "1"; a range bound
 * matches only values of its type), with two exceptions handled here: `in` never matches
 * null, and ranges on null or booleans have no Firestore form this adapter uses.
 */
export interface PushedConditions {
  /** `==` and `in` conditions on fields Firestore checks itself. */
  equalities: Condition[];
  /** Range conditions on the order field (a number or string bound), for Firestore. */
  ranges: Condition[];
  /** Whether some condition can match no document at all (a number bound on `_id`, say). */
  matchesNothing: boolean;
  /** Whether some condition has no Firestore form: the query is answered by core's scan. */
  unsupported: boolean;
}

/**
 * Sorts a query's conditions into what Firestore checks. Every condition is also checked
 * again on the documents read (core's `matchesWhere`), so leaving one out is always
 * correct, only slower. Conditions on `_id` are document-id filters (see `find-page.ts`).
 */
export function pushConditions(where: readonly Condition[]): PushedConditions {
  const pushed: PushedConditions = {
    equalities: [],
    ranges: [],
    matchesNothing: false,
    unsupported: false,
  };
  for (const condition of where) {
    const { field, op, value } = condition;
    if (field === '_id') {
      // An id is a string: any other bound matches nothing.
      const values = op === 'in' ? (value as JsonScalar[]) : [value as JsonScalar];
      if (!values.some((v) => typeof v === 'string')) pushed.matchesNothing = true;
      continue;
    }
    if (op === '==') pushed.equalities.push(condition);
    else if (op === 'in') {
      const values = distinct(value as JsonScalar[]);
      // Firestore's `in` never matches null: such a condition is left to the check in memory.
      if (values.includes(null)) continue;
      pushed.equalities.push({ field, op, value: values });
    } else if (typeof value === 'number' || typeof value === 'string') {
      pushed.ranges.push(condition);
    } else pushed.unsupported = true;
  }
  return pushed;
}

/** The values once each (1 and 1.0 are one value). */
function distinct(values: readonly JsonScalar[]): JsonScalar[] {
  return values.filter(
    (value, i) => values.findIndex((other) => compareScalars(value, other) === 0) === i,
  );
}
