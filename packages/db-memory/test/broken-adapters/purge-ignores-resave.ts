import type { PreparedDocument } from '@gofannon/db-core';
import { MemoryDatabaseService } from '../../src';
import type { BrokenAdapter } from './broken-adapter';

// Breaks "purge never deletes a document saved again after it expired": it purges by the
// expiry each id was once saved with, not by what is stored now.
class PurgeIgnoresResave extends MemoryDatabaseService {
  readonly #onceExpiring = new Map<string, number>();

  protected override _save(
    collection: string,
    id: string,
    doc: PreparedDocument,
    ifRev: string | null | undefined,
  ): Promise<string | null> {
    if (doc.expiresAt !== undefined) this.#onceExpiring.set(`${collection}/${id}`, doc.expiresAt);
    return super._save(collection, id, doc, ifRev);
  }

  protected override async _purgeExpired(collection: string, now: number): Promise<number> {
    let purged = 0;
    for (const [key, expiresAt] of this.#onceExpiring) {
      const [owner, id] = key.split('/') as [string, string];
      if (owner !== collection || expiresAt > now) continue;
      this.#onceExpiring.delete(key);
      if ((await this._delete(collection, id, undefined)) === 'deleted') purged += 1;
      else if (this.collections.get(collection)?.entries.delete(id)) purged += 1;
    }
    return purged;
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'purge deletes a document saved again after it expired',
  create: ({ clock }) => new PurgeIgnoresResave({ clock }),
  caughtBy: ['expiry > purgeExpired deletes the expired, and not one saved again after it expired'],
};
