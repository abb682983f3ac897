import { describe, expect, it } from 'vitest';
import { MemoryDatabaseService } from '../src';

describe('MemoryDatabaseService', () => {
  it('takes a document size limit', async () => {
    const service = new MemoryDatabaseService({ maxDocumentBytes: 2048 });
    expect(service.capabilities.maxDocumentBytes).toBe(2048);
    await expect(service.save('c', 'x', { s: 'x'.repeat(2048) })).rejects.toMatchObject({
      status: 413,
    });
  });

  it('refuses a size limit that is not a whole number of at least 1024', () => {
    for (const maxDocumentBytes of [0, -1, 1023, 2048.5, Number.NaN]) {
      expect(() => new MemoryDatabaseService({ maxDocumentBytes })).toThrow(/maxDocumentBytes/);
    }
  });

  it('gives separate instances separate data and revisions', async () => {
    const one = new MemoryDatabaseService();
    const two = new MemoryDatabaseService();
    const a = await one.save('c', 'x', { v: 1 });
    const b = await two.save('c', 'x', { v: 1 });
    expect(a.rev).not.toBe(b.rev);
    await one.delete('c', 'x');
    expect((await two.get('c', 'x')).v).toBe(1);
  });

  it('refuses every call once closed', async () => {
    const service = new MemoryDatabaseService();
    await service.save('c', 'x', {});
    await service.close();
    await expect(service.listAll('c')).rejects.toMatchObject({ status: 503 });
  });
});
