import type { BackendPage } from '@gofannon/db-core';
import { MemoryDatabaseService } from '../../src';
import type { BrokenAdapter } from './broken-adapter';

// Breaks "a walk yields every document exactly once": each page after the first loses its first document.
class PageDropsDocument extends MemoryDatabaseService {
  protected override async _listPage(
    collection: string,
    limit: number,
    after: string | null,
  ): Promise<BackendPage> {
    const page = await super._listPage(collection, limit, after);
    return after === null ? page : { documents: page.documents.slice(1), next: page.next };
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'a page boundary drops a document',
  create: ({ clock }) => new PageDropsDocument({ clock }),
  caughtBy: [
    'listing and pages > list defaults to 100 documents and respects limit',
    'listing and pages > a walk whose size is a multiple of the page ends cleanly',
    'listing and pages > documents present for the whole walk are seen exactly once despite writes in between',
    'names and ids > hostile ids work in batches, pages and deletes',
  ],
};
