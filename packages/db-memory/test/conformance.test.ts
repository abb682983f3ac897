import { runConformanceSuite } from '@gofannon/db-core/conformance';
import { MemoryDatabaseService } from '../src';
import { memoryInspector } from './memory-inspector';

runConformanceSuite({
  name: 'memory',
  create: () => new MemoryDatabaseService(),
  inspector: memoryInspector,
});

runConformanceSuite({
  name: 'memory with a small document limit',
  create: () => new MemoryDatabaseService({ maxDocumentBytes: 300_000, timeoutMs: 2_000 }),
});
