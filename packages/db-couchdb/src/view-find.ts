import {
  type BackendFindPage,
  type FindCandidate,
  type FindRequest,
  findCandidate,
  pageOfCandidates,
  type StoredDocument,
} from '@gofannon/db-core';
import { compareKeys, type ViewKey } from './view-keys';
import type { KeyRange } from './view-ranges';

/** The body of one view read: a stretch in the query's direction, with the documents. */
export interface ViewQuery {
  startkey: ViewKey;
  endkey: ViewKey;
  descending: boolean;
  limit: number;
  include_docs: true;
}

/** A row of an index view; `doc` is null when the document went away meanwhile. */
export interface ViewRow<D> {
  key: ViewKey;
  doc?: D | null;
}

/** Reads several stretches at once (one request): the rows of each, in order. */
export type ReadViews<D> = (queries: ViewQuery[]) => Promise<Array<Array<ViewRow<D>>>>;

interface Stretch {
  range: KeyRange;
  /** Key of the last row read: the next read starts there and leaves it out. */
  last?: ViewKey;
  done: boolean;
  found: FindCandidate[];
}

/**
 * One page of a query from its index view: reads the first `limit + 1` matching rows of
 * every stretch (keyset: each read starts at a key, never skips), keeps the documents
 * that core's rules match and that come after the cursor, and merges the stretches in
 * core's order. A read comes back short only at the end of its stretch; a stretch whose
 * rows were filtered out is read on from its last key.
 */
export async function findInView<D>(
  request: FindRequest,
  ranges: readonly KeyRange[],
  read: ReadViews<D>,
  toStored: (doc: D) => StoredDocument,
): Promise<BackendFindPage> {
  const { order, after, limit } = request;
  const keep = limit + 1;
  const descending = order.direction === 'desc';
  const stretches: Stretch[] = ranges.map((range) => ({ range, done: false, found: [] }));
  for (;;) {
    const pending = stretches.filter((s) => !s.done && s.found.length < keep);
    if (pending.length === 0) break;
    const queries = pending.map((stretch): ViewQuery => {
      const { low, high } = stretch.range;
      return {
        startkey: stretch.last ?? (descending ? high : low),
        endkey: descending ? low : high,
        descending,
        // One more when the read starts at a row it leaves out: the last one read, or
        // the cursor's.
        limit: keep - stretch.found.length + (stretch.last !== undefined || after ? 1 : 0),
        include_docs: true,
      };
    });
    const results = await read(queries);
    pending.forEach((stretch, i) => {
      const rows = results[i] ?? [];
      stretch.done = rows.length < (queries[i] as ViewQuery).limit;
      for (const row of rows) {
        if (stretch.last !== undefined && compareKeys(row.key, stretch.last) === 0) continue;
        if (!row.doc) continue;
        // The view's key says the document matches; its current body decides.
        const candidate = findCandidate(toStored(row.doc), request);
        if (candidate !== undefined) stretch.found.push(candidate);
      }
      stretch.last = rows.at(-1)?.key ?? stretch.last;
    });
  }
  return pageOfCandidates(
    stretches.flatMap((stretch) => stretch.found),
    request,
  );
}
