import type { BackendPage } from '@gofannon/db-core';
import { MemoryDatabaseService } from '../../src';
import type { BrokenAdapter } from './broken-adapter';

// Breaks "a cursor naming no position is 400": the position in a well-formed cursor is
// used as it is, an empty one as the start and a lone surrogate as U+FFFD (what a backend
// that encodes it to UTF-8 does).
class ImpossiblePositionAccepted extends MemoryDatabaseService {
  protected override _listPage(
    collection: string,
    limit: number,
    after: string | null,
  ): Promise<BackendPage> {
    const position = after === '' ? null : (after?.toWellFormed() ?? null);
    return super._listPage(collection, limit, position);
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'a cursor naming no position reads from the nearest one',
  create: ({ clock }) => new ImpossiblePositionAccepted({ clock }),
  caughtBy: ['listing and pages > a cursor of this collection whose position cannot be one is 400'],
  saying: /expected an invalid error \(400\), but the call succeeded/,
};
