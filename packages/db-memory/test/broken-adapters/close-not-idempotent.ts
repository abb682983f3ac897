import { UnavailableError } from '@gofannon/db-core';
import { MemoryDatabaseService } from '../../src';
import type { BrokenAdapter } from './broken-adapter';

// Breaks "close is idempotent": a second close rejects.
class CloseNotIdempotent extends MemoryDatabaseService {
  override close(): Promise<void> {
    if (this.closed) return Promise.reject(new UnavailableError('already closed'));
    return super.close();
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'a second close rejects',
  create: ({ clock }) => new CloseNotIdempotent({ clock }),
  caughtBy: [
    'lifecycle > close is idempotent, also when called concurrently',
    'lifecycle > after close every operation is 503',
  ],
};
