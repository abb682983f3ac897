import type { AdapterDefinition } from '@gofannon/db-core';
import { MemoryDatabaseService, type MemoryOptions } from './memory-service';

export type { MemoryOptions } from './memory-service';
export { MemoryDatabaseService } from './memory-service';

/** Makes an in-memory database service. */
export function createMemoryDatabaseService(options: MemoryOptions = {}): MemoryDatabaseService {
  return new MemoryDatabaseService(options);
}

/** Lets `DATABASE_PROVIDER=memory` (the default) find this adapter. */
export const adapter: AdapterDefinition = {
  provider: 'memory',
  settings: [],
  create: ({ timeoutMs }) =>
    new MemoryDatabaseService(timeoutMs === undefined ? {} : { timeoutMs }),
};
