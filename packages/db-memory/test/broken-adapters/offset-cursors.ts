import type { ListPage, Query } from '@gofannon/db-core';
import { MemoryDatabaseService } from '../../src';
import type { BrokenAdapter } from './broken-adapter';

// Breaks "keyset paging, never offsets": a query cursor is the number of results handed
// out so far, so a delete before it skips a document and an insert repeats one.
class OffsetCursors extends MemoryDatabaseService {
  override async find(collection: string, query: Query = {}): Promise<ListPage> {
    const { cursor, limit = 100, ...rest } = query;
    const offset = cursor ? Number(Buffer.from(cursor, 'base64url').toString()) : 0;
    const all: ListPage['documents'] = [];
    let next: string | null = null;
    do {
      const page: ListPage = await super.find(collection, { ...rest, limit: 1000, cursor: next });
      all.push(...page.documents);
      next = page.nextCursor;
    } while (next !== null);
    const end = offset + limit;
    return {
      documents: all.slice(offset, end),
      nextCursor: end < all.length ? Buffer.from(String(end)).toString('base64url') : null,
    };
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'query cursors are offsets',
  create: ({ clock }) => new OffsetCursors({ clock }),
  caughtBy: [
    'queries: pages and walks > a walk yields every document that matches throughout exactly once while others write',
    'queries: validation > a cursor of another query or collection is 400',
  ],
};
