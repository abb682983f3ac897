import type { BackendPage } from '@gofannon/db-core';
import { MemoryDatabaseService } from '../../src';
import type { BrokenAdapter } from './broken-adapter';

// Breaks "a full last page ends the walk": every full page hands out a cursor, so a walk
// whose size is a multiple of the page ends with an empty page.
class FullLastPageHasCursor extends MemoryDatabaseService {
  protected override async _listPage(
    collection: string,
    limit: number,
    after: string | null,
  ): Promise<BackendPage> {
    const page = await super._listPage(collection, limit, after);
    const last = page.documents.at(-1);
    return page.documents.length === limit && last ? { ...page, next: last._id } : page;
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'a full last page hands out a cursor',
  create: ({ clock }) => new FullLastPageHasCursor({ clock }),
  caughtBy: ['listing and pages > a walk whose size is a multiple of the page ends cleanly'],
};
