import type { StoredDocument } from '@gofannon/db-core';
import { OutageMemoryService, SimulatedServer } from '../outage-memory';
import type { BrokenAdapter } from './broken-adapter';

const TIMEOUT_MS = 1_000;
const server = new SimulatedServer('refused');

// Breaks "nothing half-reported during an outage": getMany answers null for every
// document it could not read, as if none of them existed.
class GetManyReadsOutageAsMissing extends OutageMemoryService {
  protected override _getMany(
    collection: string,
    ids: readonly string[],
    signal: AbortSignal,
  ): Promise<Array<StoredDocument | null>> {
    return Promise.all(ids.map((id) => this._get(collection, id, signal).catch(() => null)));
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'getMany reads an unreachable backend as missing documents',
  create: ({ clock }) => new GetManyReadsOutageAsMissing(server, { timeoutMs: TIMEOUT_MS, clock }),
  outage: server.outage(TIMEOUT_MS),
  caughtBy: [
    'lifecycle > batch calls during an outage give 503 in bounded time, nothing half-reported',
  ],
  saying:
    /getMany during the outage: expected an unavailable error \(503\), but it succeeded with \[null,null,null\]/,
};
