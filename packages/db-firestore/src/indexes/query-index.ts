import type { FindRequest } from '@gofannon/db-core';
import { fieldPathText } from '../find/field-paths';
import type { CompositeIndex, IndexField } from './composite-indexes';

/**
 * The composite index a query page needs on Firestore: its equality fields ascending,
 * then its order field in its direction (core's shape of index). Named in the error when
 * the real service refuses the query for want of it.
 */
export function queryIndex(collectionGroup: string, request: FindRequest): CompositeIndex {
  const equality = [
    ...new Set(
      request.where
        .filter((c) => (c.op === '==' || c.op === 'in') && c.field !== '_id')
        .map((c) => c.field),
    ),
  ];
  const { field, direction } = request.order;
  const fields = equality.map(
    (f): IndexField => ({ fieldPath: fieldPathText(f), order: 'ASCENDING' }),
  );
  if (field !== '_id' && !equality.includes(field)) {
    fields.push({
      fieldPath: fieldPathText(field),
      order: direction === 'asc' ? 'ASCENDING' : 'DESCENDING',
    });
  }
  return { collectionGroup, queryScope: 'COLLECTION', fields };
}
