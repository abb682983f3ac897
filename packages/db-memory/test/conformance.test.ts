import { runConformanceSuite } from '@gofannon/db-core/conformance';
import { MemoryDatabaseService } from '../src';

runConformanceSuite({ name: 'memory', create: () => new MemoryDatabaseService() });

runConformanceSuite({
  name: 'memory with a small document limit',
  create: () => new MemoryDatabaseService({ maxDocumentBytes: 300_000, timeoutMs: 2_000 }),
});
