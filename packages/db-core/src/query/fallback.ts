import type { BackendPage } from '../abstract-service';
import { type FindCandidate, findCandidate, pageOfCandidates } from './candidates';
import { comparePositions } from './order';
import type { BackendFindPage, FindRequest } from './types';

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
  // Only the first limit + 1 candidates matter: the extra one says whether more follow.
  // Trimming whenever the list doubles keeps memory bounded by the page, not the collection.
  const keep = request.limit + 1;
  let candidates: FindCandidate[] = [];
  const trim = () => {
    candidates.sort((a, b) => comparePositions(a.position, b.position, request.order));
    candidates = candidates.slice(0, keep);
  };
  let next: string | null = null;
  do {
    const page: BackendPage = await readPage(next);
    for (const doc of page.documents) {
      const candidate = findCandidate(doc, request);
      if (candidate === undefined) continue;
      candidates.push(candidate);
      if (candidates.length >= 2 * keep) trim();
    }
    next = page.next;
  } while (next !== null);
  return pageOfCandidates(candidates, request);
}
