import { setImmediate as nextTurn } from 'node:timers/promises';
import type { DeleteOutcome } from '@gofannon/db-core';
import { MemoryDatabaseService } from '../../src';
import type { BrokenAdapter } from './broken-adapter';

// Breaks "of N concurrent deletes exactly one succeeds": it checks, waits, then removes.
class NonAtomicDelete extends MemoryDatabaseService {
  protected override async _delete(
    collection: string,
    id: string,
    ifRev: string | undefined,
  ): Promise<DeleteOutcome> {
    const existing = this.collections.get(collection)?.entries.get(id);
    if (!existing) return 'missing';
    if (ifRev !== undefined && existing.rev !== ifRev) return 'conflict';
    await nextTurn();
    const store = this.collections.get(collection);
    store?.entries.delete(id);
    store?.keys.delete();
    return 'deleted';
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'delete is not atomic',
  create: ({ clock }) => new NonAtomicDelete({ clock }),
  caughtBy: [
    'concurrency > of concurrent deletes exactly one succeeds, the rest are 404',
    'concurrency > of concurrent deletes with the same ifRev exactly one succeeds',
  ],
};
