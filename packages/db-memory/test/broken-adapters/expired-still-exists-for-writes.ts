import type { DeleteOutcome, PreparedDocument } from '@gofannon/db-core';
import { MemoryDatabaseService } from '../../src';
import type { BrokenAdapter } from './broken-adapter';

// Breaks "an expired document does not exist" in the adapter's own writes: create-only
// over it is refused and a delete deletes it. (Reads are right: core hides it.)
class ExpiredStillExistsForWrites extends MemoryDatabaseService {
  protected override _save(
    collection: string,
    id: string,
    doc: PreparedDocument,
    ifRev: string | null | undefined,
  ): Promise<string | null> {
    if (ifRev === null && this.collections.get(collection)?.entries.has(id)) {
      return Promise.resolve(null);
    }
    return super._save(collection, id, doc, ifRev);
  }

  protected override _delete(
    collection: string,
    id: string,
    ifRev: string | undefined,
  ): DeleteOutcome | Promise<DeleteOutcome> {
    const store = this.collections.get(collection);
    if (ifRev === undefined && store?.entries.delete(id)) {
      store.keys.delete();
      return 'deleted';
    }
    return super._delete(collection, id, ifRev);
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'expired documents still exist for conditional writes and deletes',
  create: ({ clock }) => new ExpiredStillExistsForWrites({ clock }),
  caughtBy: [
    'expiry > create-only over an expired document succeeds with a revision never used',
    'expiry > ifRev of an expired document is 409, and delete of one is 404',
  ],
};
