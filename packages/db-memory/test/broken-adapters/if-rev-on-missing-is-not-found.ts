import { NotFoundError, type PreparedDocument } from '@gofannon/db-core';
import { MemoryDatabaseService } from '../../src';
import type { BrokenAdapter } from './broken-adapter';

// Breaks "ifRev on a missing document is 409": a revision this adapter issued, sent for a
// document that is not there, is answered 404. One it never issued is refused early, as
// 409, so a case that only sends made-up revisions passes it.
class IfRevOnMissingIsNotFound extends MemoryDatabaseService {
  readonly #issued = new Set<string>();

  protected override async _save(
    collection: string,
    id: string,
    doc: PreparedDocument,
    ifRev: string | null | undefined,
  ): Promise<string | null> {
    if (typeof ifRev === 'string' && !this.#issued.has(ifRev)) return null;
    if (typeof ifRev === 'string' && (await this._get(collection, id)) === null) {
      throw new NotFoundError(`Document ${id} not found`, { collection, id });
    }
    const rev = await super._save(collection, id, doc, ifRev);
    if (rev !== null) this.#issued.add(rev);
    return rev;
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'ifRev with a real revision on a missing document is 404',
  create: ({ clock }) => new IfRevOnMissingIsNotFound({ clock }),
  caughtBy: [
    'revisions > ifRev with a real revision of a deleted document, or of another id, is 409 and creates nothing',
  ],
  saying: /expected a conflict error \(409\), got not_found 404/,
};
