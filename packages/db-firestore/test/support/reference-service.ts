import {
  type BackendFindPage,
  type DatabaseService,
  type FindRequest,
  findByScan,
  type JsonValue,
  type Query,
} from '@gofannon/db-core';
import { FirestoreDatabaseService } from '../../src';

/**
 * The reference answer on the same stored data: every query answered by core's scan (list
 * every document, then core's `matchesWhere`, `positionOf` and `comparePositions`), the
 * rules the memory adapter answers with too. The adapter's native `_find` must give the
 * very same pages.
 */
export class ScanningFirestoreService extends FirestoreDatabaseService {
  protected override _find(
    collection: string,
    request: FindRequest,
    bounded: <T>(work: (signal: AbortSignal) => Promise<T>) => Promise<T>,
  ): Promise<BackendFindPage> {
    return findByScan(
      (after) => bounded((signal) => this._listPage(collection, 1000, after, signal)),
      request,
    );
  }
}

/** A page of a walk as compared: documents without revisions, and the cursor. */
export interface WalkedPage {
  documents: JsonValue[];
  nextCursor: string | null;
}

/** Every page of a walk of `query` until its cursor is null. */
export async function walk(
  service: DatabaseService,
  collection: string,
  query: Query,
): Promise<WalkedPage[]> {
  const pages: WalkedPage[] = [];
  let cursor: string | null = null;
  do {
    const page = await service.find(collection, { ...query, cursor });
    pages.push({
      documents: page.documents.map(({ _rev, ...rest }) => rest as JsonValue),
      nextCursor: page.nextCursor,
    });
    cursor = page.nextCursor;
    if (pages.length > 500) throw new Error(`The walk of ${JSON.stringify(query)} never ends`);
  } while (cursor !== null);
  return pages;
}

/** The ids of a walk, page by page. */
export function idsOf(pages: readonly WalkedPage[]): string[][] {
  return pages.map((page) => page.documents.map((doc) => (doc as { _id: string })._id));
}
