import type { BackendPage, DeleteOutcome, StoredDocument } from '@gofannon/db-core';
import { MemoryDatabaseService } from '../../src';
import type { BrokenAdapter } from './broken-adapter';

// Breaks "pages are full until the last": deleted ids stay in the listing index, as
// tombstones some backends keep, and a page is cut from the index before they are left
// out, so pages come back short, or empty with a cursor.
class DeletedLeftInIndex extends MemoryDatabaseService {
  readonly #tombstones = new Map<string, Set<string>>();

  protected override async _delete(
    collection: string,
    id: string,
    ifRev: string | undefined,
  ): Promise<DeleteOutcome> {
    const outcome = await super._delete(collection, id, ifRev);
    if (outcome === 'deleted') {
      const tombstones = this.#tombstones.get(collection) ?? new Set<string>();
      tombstones.add(id);
      this.#tombstones.set(collection, tombstones);
    }
    return outcome;
  }

  protected override async _listPage(
    collection: string,
    limit: number,
    after: string | null,
  ): Promise<BackendPage> {
    const store = this.collections.get(collection);
    if (!store) return { documents: [], next: null };
    const index = [
      ...new Set([...store.entries.keys(), ...(this.#tombstones.get(collection) ?? [])]),
    ]
      .sort()
      .filter((id) => after === null || id > after);
    const slice = index.slice(0, limit);
    const documents: StoredDocument[] = [];
    for (const id of slice) {
      const doc = await this._get(collection, id);
      if (doc) documents.push(doc);
    }
    return { documents, next: index.length > limit ? (slice.at(-1) ?? null) : null };
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'deleted documents stay in the listing index',
  create: ({ clock }) => new DeletedLeftInIndex({ clock }),
  caughtBy: [
    'listing and pages > pages stay full after more than a page of deletes, and an emptied collection lists as empty',
  ],
};
