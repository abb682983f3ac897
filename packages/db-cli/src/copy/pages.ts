import type { DatabaseService, ListPage, StoredDocument } from '@gofannon/db-core';
import { describeFailure } from '../errors';

/** Walks a collection page by page with `list`; only one page is held at a time. */
export async function* listPages(
  service: DatabaseService,
  collection: string,
  pageSize: number,
  side = 'the source',
): AsyncGenerator<StoredDocument[]> {
  let cursor: string | null = null;
  do {
    const from: string | null = cursor;
    const page: ListPage = await describeFailure(
      `reading "${collection}" from ${side} (${service.provider})`,
      collection,
      () => service.list(collection, { limit: pageSize, cursor: from }),
    );
    if (page.documents.length > 0) yield page.documents;
    cursor = page.nextCursor;
  } while (cursor !== null);
}

/** Counts the documents of a collection by walking its pages of ids. */
export async function countDocuments(
  service: DatabaseService,
  collection: string,
  signal?: AbortSignal,
): Promise<number> {
  let count = 0;
  for await (const page of listPages(service, collection, 1000)) {
    count += page.length;
    signal?.throwIfAborted();
  }
  return count;
}
