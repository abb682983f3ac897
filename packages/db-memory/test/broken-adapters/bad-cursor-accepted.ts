import { decodeCursor, type ListOptions, type ListPage } from '@gofannon/db-core';
import { MemoryDatabaseService } from '../../src';
import type { BrokenAdapter } from './broken-adapter';

function decodes(collection: string, cursor: string): boolean {
  try {
    decodeCursor(collection, cursor);
    return true;
  } catch {
    return false;
  }
}

// Breaks "a bad cursor is 400": a cursor string that does not decode restarts from the first page.
class BadCursorAccepted extends MemoryDatabaseService {
  override list(collection: string, options?: ListOptions): Promise<ListPage> {
    const cursor = options?.cursor;
    if (typeof cursor === 'string' && !decodes(collection, cursor)) {
      return super.list(collection, { ...options, cursor: null });
    }
    return super.list(collection, options);
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'a bad cursor restarts the walk',
  create: ({ clock }) => new BadCursorAccepted({ clock }),
  caughtBy: ['listing and pages > a bad cursor is 400'],
};
