import type { DatabaseError, DeleteOutcome } from '@gofannon/db-core';
import { OutageMemoryService, SimulatedServer } from '../outage-memory';
import type { BrokenAdapter } from './broken-adapter';

const TIMEOUT_MS = 1_000;
const server = new SimulatedServer('refused');

// Breaks "nothing half-reported during an outage": deleteMany reports every document it
// could not reach as missing (404), as an adapter does that takes any failure for a
// missing table.
class DeleteManyReadsOutageAsMissing extends OutageMemoryService {
  protected override _deleteMany(
    collection: string,
    ids: readonly string[],
    signal: AbortSignal,
  ): Promise<Array<DeleteOutcome | DatabaseError>> {
    return Promise.all(
      ids.map((id) =>
        this._delete(collection, id, undefined, signal).catch(() => 'missing' as const),
      ),
    );
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'deleteMany reports an unreachable backend as missing documents',
  create: ({ clock }) =>
    new DeleteManyReadsOutageAsMissing(server, { timeoutMs: TIMEOUT_MS, clock }),
  outage: server.outage(TIMEOUT_MS),
  caughtBy: [
    'lifecycle > batch calls during an outage give 503 in bounded time, nothing half-reported',
  ],
  saying:
    /deleteMany during the outage: expected 503 for every item, but item 0 \("a"\) was reported as not_found 404/,
};
