import type { BackendPage } from '../abstract-service';
import type { StoredDocument } from '../types';
import { matchesWhere } from './match';
import { comparePositions, isAfter, positionOf } from './order';
import type { BackendFindPage, FindRequest, QueryPosition } from './types';

interface Candidate {
  doc: StoredDocument;
  position: QueryPosition;
}

/**
 * Answers any query from a plain listing: walks every page `readPage` gives, keeps the
 * documents that match and come after the cursor, and returns the first `limit` of them
 * in the query's order. Correct on any backend that can list, at the cost of reading the
 * whole collection for each page; an adapter makes queries fast by overriding `_find`.
 */
export async function findByScan(
  readPage: (after: string | null) => Promise<BackendPage>,
  request: FindRequest,
): Promise<BackendFindPage> {
  const { where, order, after, limit } = request;
  // Only the first limit + 1 candidates matter: the extra one says whether more follow.
  // Trimming whenever the list doubles keeps memory bounded by the page, not the collection.
  const keep = limit + 1;
  let candidates: Candidate[] = [];
  const trim = () => {
    candidates.sort((a, b) => comparePositions(a.position, b.position, order));
    candidates = candidates.slice(0, keep);
  };
  let next: string | null = null;
  do {
    const page: BackendPage = await readPage(next);
    for (const doc of page.documents) {
      const position = positionOf(doc, order);
      if (position === undefined || !isAfter(position, after, order)) continue;
      if (!matchesWhere(doc, where)) continue;
      candidates.push({ doc, position });
      if (candidates.length >= 2 * keep) trim();
    }
    next = page.next;
  } while (next !== null);
  trim();
  return {
    documents: candidates.slice(0, limit).map((candidate) => candidate.doc),
    more: candidates.length > limit,
  };
}
