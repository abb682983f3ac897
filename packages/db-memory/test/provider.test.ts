import { createDatabaseService } from '@gofannon/db-core';
import { describe, expect, it } from 'vitest';
import { MemoryDatabaseService } from '../src';

describe('DATABASE_PROVIDER', () => {
  it('gives the memory service by default, by name and by package name', async () => {
    for (const env of [
      {},
      { DATABASE_PROVIDER: 'memory' },
      { DATABASE_PROVIDER: '@gofannon/db-memory' },
    ]) {
      const service = await createDatabaseService({ env });
      expect(service.provider).toBe('memory');
      expect(service).toBeInstanceOf(MemoryDatabaseService);
      await service.save('agents', 'a', { name: 'works' });
      expect((await service.get('agents', 'a')).name).toBe('works');
      await service.close();
    }
  });
});
