import { IndexRequiredError, InternalError } from '../errors';
import type { ListPage } from '../types';
import { type CursorScope, decodeQueryCursor, encodeQueryCursor } from './cursor';
import { indexShape, selectIndex, servedByPrimaryKey } from './index-selection';
import { positionOf } from './order';
import type { BackendFindPage, FindRequest } from './types';
import { readQuery } from './validate';

/** A checked query, ready for `_find`, and what its cursors are bound to. */
export interface FindPlan {
  request: FindRequest;
  scope: CursorScope;
}

/**
 * Validates a query, decodes its cursor and picks the index that serves it; with
 * `requireIndex`, refuses with 400 `index_required` when none does.
 */
export function planFind(
  collection: string,
  query: unknown,
  indexes: Iterable<readonly string[]>,
): FindPlan {
  const { where, order, limit, cursor, requireIndex } = readQuery(query, collection);
  const scope: CursorScope = { collection, where, order };
  const after = cursor === null ? null : decodeQueryCursor(scope, cursor);
  const shape = indexShape(where, order);
  const index = selectIndex(shape, indexes);
  if (requireIndex && index === undefined && !servedByPrimaryKey(shape)) {
    const fields = [...shape.equality, ...(shape.order === undefined ? [] : [shape.order])];
    throw new IndexRequiredError(
      `No index serves this query, and it asks for one (requireIndex): call ensureIndex(${JSON.stringify(collection)}, { fields: ${JSON.stringify(fields)} }) first`,
      { collection },
    );
  }
  const request: FindRequest = { where, order, after, limit, ...(index && { index }) };
  return { request, scope };
}

/** Turns an adapter's page into the caller's, with a cursor after its last document. */
export function findResult(plan: FindPlan, page: BackendFindPage, provider: string): ListPage {
  const { documents, more } = page;
  const last = documents.at(-1);
  const position = last && positionOf(last, plan.request.order);
  if (documents.length > plan.request.limit || (more && position === undefined)) {
    throw new InternalError(
      `The ${provider} adapter answered a query page of ${plan.request.limit} with ${documents.length} documents${more ? ', more to follow,' : ''} and ${position ? 'a' : 'no'} position to continue from`,
      { collection: plan.scope.collection },
    );
  }
  return {
    documents,
    nextCursor: more && position ? encodeQueryCursor(plan.scope, position) : null,
  };
}
