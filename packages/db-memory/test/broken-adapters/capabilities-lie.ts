import { type PreparedDocument, TooLargeError } from '@gofannon/db-core';
import { MemoryDatabaseService } from '../../src';
import type { BrokenAdapter } from './broken-adapter';

/** What the backend really takes, far below the 8 MiB the capabilities declare. */
const REAL_LIMIT = 64 * 1024;

// Breaks "a declared limit must hold": declares 8 MiB documents but refuses anything over 64 KiB.
class CapabilitiesLie extends MemoryDatabaseService {
  protected override async _save(
    collection: string,
    id: string,
    doc: PreparedDocument,
    ifRev: string | null | undefined,
  ): Promise<string | null> {
    if (doc.bytes > REAL_LIMIT) throw new TooLargeError('document too large', { collection, id });
    return super._save(collection, id, doc, ifRev);
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'capabilities overstate maxDocumentBytes',
  create: ({ clock }) => new CapabilitiesLie({ clock }),
  caughtBy: [
    'limits > a document of exactly maxDocumentBytes is stored; one byte more is 413',
    'values > every value in the matrix round-trips exactly',
    'values > a whole document of mixed values round-trips',
  ],
};
