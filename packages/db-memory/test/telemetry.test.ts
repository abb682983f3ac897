import { describeTelemetry } from '@gofannon/test-support';
import { MemoryDatabaseService } from '../src';

describeTelemetry('memory', {
  open: async () => new MemoryDatabaseService(),
  systemName: 'gofannon.memory',
  countsRequests: false,
});
