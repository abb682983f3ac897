import { isDatabaseError } from '@gofannon/db-core';
import { OutageMemoryService, SimulatedServer } from '../outage-memory';
import type { BrokenAdapter } from './broken-adapter';

const TIMEOUT_MS = 1_000;
const server = new SimulatedServer('refused');

// Breaks "an unreachable backend gives 503 within timeoutMs": ping retries until the
// backend answers, so during an outage it never settles.
class PingWaitsForBackend extends OutageMemoryService {
  override async ping(): Promise<void> {
    for (;;) {
      try {
        return await super.ping();
      } catch (error) {
        if (this.closed || !isDatabaseError(error) || error.code !== 'unavailable') throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }
}

export const brokenAdapter: BrokenAdapter = {
  rule: 'ping waits for an unreachable backend',
  create: ({ clock }) => new PingWaitsForBackend(server, { timeoutMs: TIMEOUT_MS, clock }),
  outage: server.outage(TIMEOUT_MS),
  caughtBy: [
    'lifecycle > a stopped backend gives 503 in bounded time, and the same service recovers',
  ],
  saying: /ping during the outage \(timeoutMs 1000\) did not finish within 2000 ms/,
};
