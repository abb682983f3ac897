import type { StoredDocument } from '../types';
import { matchesWhere } from './match';
import { comparePositions, isAfter, positionOf } from './order';
import type { BackendFindPage, FindRequest, QueryPosition } from './types';

/** A document that belongs on a query's page, with its place in the query's order. */
export interface FindCandidate {
  doc: StoredDocument;
  position: QueryPosition;
}

/**
 * `doc` as a candidate for this page of the query: when it matches every condition, has
 * a place in the order (a scalar at the order field) and comes after the cursor; otherwise
 * `undefined`. What a backend read is checked with before it reaches the caller.
 */
export function findCandidate(
  doc: StoredDocument,
  request: Pick<FindRequest, 'where' | 'order' | 'after'>,
): FindCandidate | undefined {
  if (!matchesWhere(doc, request.where)) return undefined;
  const position = positionOf(doc, request.order);
  if (position === undefined || !isAfter(position, request.after, request.order)) return undefined;
  return { doc, position };
}

/**
 * The page from the candidates read (in any order, at least `limit + 1` of them when more
 * follow): sorted by the query's order, the first `limit`, and whether more follow.
 */
export function pageOfCandidates(
  candidates: FindCandidate[],
  request: Pick<FindRequest, 'order' | 'limit'>,
): BackendFindPage {
  candidates.sort((a, b) => comparePositions(a.position, b.position, request.order));
  return {
    documents: candidates.slice(0, request.limit).map((candidate) => candidate.doc),
    more: candidates.length > request.limit,
  };
}
