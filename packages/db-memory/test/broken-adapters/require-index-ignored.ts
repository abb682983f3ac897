import type { ListPage, Query } from '@gofannon/db-core';
import { MemoryDatabaseService } from '../../src';
import type { BrokenAdapter } from './broken-adapter';

// Breaks "requireIndex is 400 index_required without an index": the flag is dropped and
// the query scans.
class RequireIndexIgnored extends MemoryDatabaseService {
  override find(collection: string, query: Query = {}): Promise<ListPage> {
    const { requireIndex: _ignored, ...rest } = query;
    return super.find(collection, rest);
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'requireIndex is ignored',
  create: ({ clock }) => new RequireIndexIgnored({ clock }),
  caughtBy: [
    'queries: indexes > requireIndex refuses a query no index serves, with index_required',
  ],
  saying: /but the call succeeded/,
};
