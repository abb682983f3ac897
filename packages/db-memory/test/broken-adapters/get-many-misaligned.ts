import type { StoredDocument } from '@gofannon/db-core';
import { MemoryDatabaseService } from '../../src';
import type { BrokenAdapter } from './broken-adapter';

// Breaks "getMany is aligned with the ids": missing documents are dropped instead of null.
class GetManyMisaligned extends MemoryDatabaseService {
  protected override async _getMany(
    collection: string,
    ids: readonly string[],
    signal: AbortSignal,
  ): Promise<Array<StoredDocument | null>> {
    return (await super._getMany(collection, ids, signal)).filter((doc) => doc !== null);
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'getMany drops missing documents',
  create: ({ clock }) => new GetManyMisaligned({ clock }),
  caughtBy: [
    'batches > getMany is aligned with the ids, null where missing, duplicates allowed',
    'listing and pages > an unknown collection lists as empty',
  ],
};
