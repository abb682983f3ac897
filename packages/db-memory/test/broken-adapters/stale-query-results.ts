import type { BackendFindPage, FindRequest } from '@gofannon/db-core';
import { MemoryDatabaseService } from '../../src';
import type { BrokenAdapter } from './broken-adapter';

// Breaks "queries read their own writes": each page is answered once and then served
// from a cache, as a result cache without invalidation would.
class StaleQueryResults extends MemoryDatabaseService {
  readonly #cache = new Map<string, BackendFindPage>();

  protected override async _find(
    collection: string,
    request: FindRequest,
    bounded: <T>(work: (signal: AbortSignal) => Promise<T>) => Promise<T>,
  ): Promise<BackendFindPage> {
    const key = JSON.stringify([collection, request]);
    const cached = this.#cache.get(key);
    if (cached) return structuredClone(cached);
    const page = await super._find(collection, request, bounded);
    this.#cache.set(key, structuredClone(page));
    return page;
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'query results are served from a stale cache',
  create: ({ clock }) => new StaleQueryResults({ clock }),
  caughtBy: [
    'queries: pages and walks > a query reads its own writes',
    'queries: indexes > an index follows every write after it is made',
  ],
};
