import type { StoredDocument } from '@gofannon/db-core';
import { MemoryDatabaseService } from '../../src';
import type { BrokenAdapter } from './broken-adapter';

// Breaks "returned objects are fresh": get hands out one cached object per revision.
class AliasedReads extends MemoryDatabaseService {
  readonly #cache = new Map<string, StoredDocument>();

  protected override async _get(collection: string, id: string): Promise<StoredDocument | null> {
    const doc = await super._get(collection, id);
    if (!doc) return null;
    const key = JSON.stringify([collection, id, doc._rev]);
    const shared = this.#cache.get(key) ?? doc;
    this.#cache.set(key, shared);
    return shared;
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'returned documents alias the stored ones',
  create: ({ clock }) => new AliasedReads({ clock }),
  caughtBy: [
    // getMany's repeated ids no longer catch it: core reads each id once and copies repeats.
    'values > mutating what any read returns changes nothing stored or returned later',
  ],
};
