import type { BackendPage } from '@gofannon/db-core';
import { MemoryDatabaseService } from '../../src';
import { newCollection } from '../../src/memory-service';
import { memoryInspector } from '../memory-inspector';
import type { BrokenAdapter } from './broken-adapter';

// Breaks "reads have no side effects": listAll and list create the collection they read.
class ListingCreatesCollection extends MemoryDatabaseService {
  protected override _listPage(
    collection: string,
    limit: number,
    after: string | null,
  ): Promise<BackendPage> {
    if (!this.collections.has(collection)) {
      this.collections.set(collection, newCollection());
    }
    return super._listPage(collection, limit, after);
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'listing creates the collection',
  create: ({ clock }) => new ListingCreatesCollection({ clock }),
  inspector: memoryInspector,
  caughtBy: ['listing and pages > reads of an unknown collection create nothing on the backend'],
};
