import type { DeleteOutcome } from '@gofannon/db-core';
import { MemoryDatabaseService } from '../../src';
import type { BrokenAdapter } from './broken-adapter';

// Breaks "delete of a missing document is 404, ifRev or not": with an ifRev, a document
// that is not there counts as a revision mismatch (409).
class DeleteIfRevOnMissingIsConflict extends MemoryDatabaseService {
  protected override async _delete(
    collection: string,
    id: string,
    ifRev: string | undefined,
  ): Promise<DeleteOutcome> {
    const outcome = await super._delete(collection, id, ifRev);
    return outcome === 'missing' && ifRev !== undefined ? 'conflict' : outcome;
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'delete with a real revision on a missing document is 409',
  create: ({ clock }) => new DeleteIfRevOnMissingIsConflict({ clock }),
  caughtBy: [
    'revisions > delete with a real revision of a document that is gone, or of another id, is 404',
    'revisions > delete with a matching ifRev deletes; a mismatch is 409 and keeps the document',
  ],
  saying: /expected a not_found error \(404\), got conflict 409/,
};
