import type { ListPage, Query } from '@gofannon/db-core';
import { MemoryDatabaseService } from '../../src';
import type { BrokenAdapter } from './broken-adapter';

const parse = (cursor: string) =>
  JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];
const encode = (parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');

// Breaks "a cursor of another query is 400": the position a cursor holds is taken over by
// whatever query it is passed to, as an unsigned keyset cursor would be.
class CursorNotBoundToQuery extends MemoryDatabaseService {
  override async find(collection: string, query: Query = {}): Promise<ListPage> {
    if (!query.cursor) return super.find(collection, query);
    let position: unknown[];
    try {
      position = parse(query.cursor);
    } catch {
      return super.find(collection, query);
    }
    // A cursor of this query, to borrow its binding: the first page's, if there is one.
    const probe = await super.find(collection, { ...query, cursor: null, limit: 1 });
    if (probe.nextCursor === null || position.length !== 4) return super.find(collection, query);
    const [kind, binding] = parse(probe.nextCursor);
    return super.find(collection, {
      ...query,
      cursor: encode([kind, binding, position[2], position[3]]),
    });
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'query cursors are not bound to their query',
  create: ({ clock }) => new CursorNotBoundToQuery({ clock }),
  caughtBy: ['queries: validation > a cursor of another query or collection is 400'],
};
