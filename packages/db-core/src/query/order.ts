import type { JsonObject } from '../types';
import { compareCodePoints, compareScalars, isScalar } from './compare';
import { valueAtPath } from './match';
import type { QueryOrder, QueryPosition } from './types';

/**
 * A document's place in a query's order, or `undefined` when the document has no scalar
 * at the order field: such documents are left out of ordered results, as the sparse
 * indexes of Firestore and DynamoDB leave them out.
 */
export function positionOf(
  doc: JsonObject & { _id: string },
  order: QueryOrder,
): QueryPosition | undefined {
  const value = valueAtPath(doc, order.field);
  return isScalar(value) ? { value, id: doc._id } : undefined;
}

/** Compares two positions in the order's direction: by sort value, ties by `_id` code points. */
export function comparePositions(a: QueryPosition, b: QueryPosition, order: QueryOrder): number {
  const ascending = compareScalars(a.value, b.value) || compareCodePoints(a.id, b.id);
  return order.direction === 'asc' ? ascending : -ascending;
}

/** Whether `position` comes strictly after `after` in this order (`null`: the start). */
export function isAfter(
  position: QueryPosition,
  after: QueryPosition | null,
  order: QueryOrder,
): boolean {
  return after === null || comparePositions(position, after, order) > 0;
}
