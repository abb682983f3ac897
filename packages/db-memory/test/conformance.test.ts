import { runConformanceSuite } from '@gofannon/db-core/conformance';
import { memoryInspector } from './memory-inspector';
import { OutageMemoryService, SimulatedServer } from './outage-memory';

// The memory adapter has no server to stop: a simulated one gives the outage cases
// something to stop, refusing connections in the first run and never answering in the
// second, where only the service's deadline ends each call.
const refusing = new SimulatedServer('refused');
runConformanceSuite({
  name: 'memory',
  create: ({ clock }) => new OutageMemoryService(refusing, { clock }),
  inspector: memoryInspector,
  outage: refusing.outage(10_000),
});

// The smallest document limit the suite supports without leaving out a case: 64 KiB.
// Without an inspector, to show that its checks are reported as skipped.
const silent = new SimulatedServer('silent');
runConformanceSuite({
  name: 'memory with a 64 KiB document limit, a short timeout and no inspector',
  create: ({ clock }) =>
    new OutageMemoryService(silent, { maxDocumentBytes: 64 * 1024, timeoutMs: 1_000, clock }),
  outage: silent.outage(1_000),
});
