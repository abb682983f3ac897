import { MemoryDatabaseService } from '../../src';
import type { BrokenAdapter } from './broken-adapter';

// Breaks "after close every operation is 503": the service never admits it was closed.
class WorksAfterClose extends MemoryDatabaseService {
  protected override get closed(): boolean {
    return false;
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'operations still work after close',
  create: ({ clock }) => new WorksAfterClose({ clock }),
  caughtBy: ['lifecycle > after close every operation is 503'],
};
