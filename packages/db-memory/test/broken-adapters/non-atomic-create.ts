import { setImmediate as nextTurn } from 'node:timers/promises';
import type { PreparedDocument } from '@gofannon/db-core';
import { MemoryDatabaseService } from '../../src';
import type { BrokenAdapter } from './broken-adapter';

// Breaks "of N concurrent creates exactly one succeeds": it checks, waits, then upserts.
class NonAtomicCreate extends MemoryDatabaseService {
  protected override async _save(
    collection: string,
    id: string,
    doc: PreparedDocument,
    ifRev: string | null | undefined,
  ): Promise<string | null> {
    if (ifRev !== null) return super._save(collection, id, doc, ifRev);
    if (this.collections.get(collection)?.entries.has(id)) return null;
    await nextTurn();
    return super._save(collection, id, doc, undefined);
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'create-only save is not atomic',
  create: ({ clock }) => new NonAtomicCreate({ clock }),
  caughtBy: ['concurrency > of concurrent creates exactly one succeeds, the rest are 409'],
};
