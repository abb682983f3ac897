import type { BackendFindPage, FindRequest } from '@gofannon/db-core';
import { MemoryDatabaseService } from '../../src';
import { newCollection } from '../../src/memory-service';
import { memoryInspector } from '../memory-inspector';
import type { BrokenAdapter } from './broken-adapter';

// Breaks "reads have no side effects": a query creates the collection it reads.
class FindCreatesCollection extends MemoryDatabaseService {
  protected override _find(
    collection: string,
    request: FindRequest,
    bounded: <T>(work: (signal: AbortSignal) => Promise<T>) => Promise<T>,
  ): Promise<BackendFindPage> {
    if (!this.collections.has(collection)) {
      this.collections.set(collection, newCollection());
    }
    return super._find(collection, request, bounded);
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'a query creates the collection',
  create: ({ clock }) => new FindCreatesCollection({ clock }),
  inspector: memoryInspector,
  caughtBy: [
    'queries: pages and walks > queries of an unknown collection create nothing on the backend',
  ],
};
