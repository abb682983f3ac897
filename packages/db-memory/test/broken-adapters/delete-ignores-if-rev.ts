import type { DeleteOutcome } from '@gofannon/db-core';
import { MemoryDatabaseService } from '../../src';
import type { BrokenAdapter } from './broken-adapter';

// Breaks "delete with ifRev is 409 on a mismatch": the revision is never compared.
class DeleteIgnoresIfRev extends MemoryDatabaseService {
  protected override _delete(
    collection: string,
    id: string,
    _ifRev: string | undefined,
  ): DeleteOutcome | Promise<DeleteOutcome> {
    return super._delete(collection, id, undefined);
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'delete ignores ifRev',
  create: ({ clock }) => new DeleteIgnoresIfRev({ clock }),
  caughtBy: [
    'revisions > delete with a matching ifRev deletes; a mismatch is 409 and keeps the document',
    'revisions > a revision from before delete and re-create does not match (no ABA)',
  ],
};
