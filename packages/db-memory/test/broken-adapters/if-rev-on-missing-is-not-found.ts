import { NotFoundError, type PreparedDocument } from '@gofannon/db-core';
import { MemoryDatabaseService } from '../../src';
import type { BrokenAdapter } from './broken-adapter';

/** The shape of this adapter's own revisions: a write count and a random tag. */
const OWN_REVISION = /^[0-9]+-[0-9a-f]{12}$/;

// Breaks "ifRev on a missing document is 409": a revision this adapter could have issued,
// sent for a document that is not there, is answered 404. A made-up revision is refused
// early, as 409, so a case that only sends made-up revisions passes it.
class IfRevOnMissingIsNotFound extends MemoryDatabaseService {
  protected override async _save(
    collection: string,
    id: string,
    doc: PreparedDocument,
    ifRev: string | null | undefined,
  ): Promise<string | null> {
    if (typeof ifRev === 'string' && !OWN_REVISION.test(ifRev)) return null;
    if (typeof ifRev === 'string' && (await this._get(collection, id)) === null) {
      throw new NotFoundError(`Document ${id} not found`, { collection, id });
    }
    return super._save(collection, id, doc, ifRev);
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'ifRev with a real revision on a missing document is 404',
  create: () => new IfRevOnMissingIsNotFound(),
  caughtBy: [
    'revisions > ifRev with a real revision of a deleted document, or of another id, is 409 and creates nothing',
  ],
  saying: /expected a conflict error \(409\), got not_found 404/,
};
