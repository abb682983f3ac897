import type { BackendFindPage, FindRequest } from '@gofannon/db-core';
import { MemoryDatabaseService } from '../../src';
import type { BrokenAdapter } from './broken-adapter';

// Breaks "pages are filled": a page followed by more holds only half the limit, as a scan
// that filters one backend page at a time without reading on would give.
class QueryPagesHalfFull extends MemoryDatabaseService {
  protected override async _find(
    collection: string,
    request: FindRequest,
    bounded: <T>(work: (signal: AbortSignal) => Promise<T>) => Promise<T>,
  ): Promise<BackendFindPage> {
    const page = await super._find(collection, request, bounded);
    if (!page.more) return page;
    return { documents: page.documents.slice(0, Math.ceil(request.limit / 2)), more: true };
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'query pages are not filled',
  create: ({ clock }) => new QueryPagesHalfFull({ clock }),
  caughtBy: [
    'queries: pages and walks > pages are filled: every page but the last holds limit documents',
  ],
};
