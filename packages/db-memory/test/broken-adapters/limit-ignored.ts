import type { BackendPage } from '@gofannon/db-core';
import { MemoryDatabaseService } from '../../src';
import type { BrokenAdapter } from './broken-adapter';

// Breaks "list respects limit": every page holds the whole rest of the collection.
class LimitIgnored extends MemoryDatabaseService {
  protected override _listPage(
    collection: string,
    _limit: number,
    after: string | null,
  ): Promise<BackendPage> {
    return super._listPage(collection, Number.MAX_SAFE_INTEGER, after);
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'list ignores limit',
  create: ({ clock }) => new LimitIgnored({ clock }),
  caughtBy: [
    'listing and pages > list defaults to 100 documents and respects limit',
    'listing and pages > a walk whose size is a multiple of the page ends cleanly',
  ],
};
