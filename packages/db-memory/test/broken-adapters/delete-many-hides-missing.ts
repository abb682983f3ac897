import type { DatabaseError, DeleteOutcome } from '@gofannon/db-core';
import { MemoryDatabaseService } from '../../src';
import type { BrokenAdapter } from './broken-adapter';

// Breaks "batches report each item on its own": deleteMany reports a missing id as deleted.
class DeleteManyHidesMissing extends MemoryDatabaseService {
  protected override async _deleteMany(
    collection: string,
    ids: readonly string[],
    signal: AbortSignal,
  ): Promise<Array<DeleteOutcome | DatabaseError>> {
    const outcomes = await super._deleteMany(collection, ids, signal);
    return outcomes.map((outcome) => (outcome === 'missing' ? 'deleted' : outcome));
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'deleteMany reports missing ids as deleted',
  create: ({ clock }) => new DeleteManyHidesMissing({ clock }),
  caughtBy: ['batches > deleteMany reports missing and invalid ids on their own'],
};
