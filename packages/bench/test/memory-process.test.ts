import { isAlive } from '@gofannon/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { type MemoryProcess, startMemoryProcess } from '../src/migrate/memory-process';

describe('a memory adapter in a process of its own (the migrate bench source and target)', () => {
  const started: MemoryProcess[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((memory) => memory.stop()));
  });

  it('is filled there and lists every document from here, page by page', async () => {
    const memory = await startMemoryProcess({ documents: 61, seed: 3 });
    started.push(memory);
    const counts: Record<string, number> = memory.contents?.counts ?? {};
    expect(Object.values(counts).reduce((total, count) => total + count, 0)).toBe(61);
    for (const [collection, count] of Object.entries(counts)) {
      const first = await memory.service.list(collection, { limit: 4 });
      expect(first.documents).toHaveLength(4);
      expect(first.nextCursor).not.toBeNull();
      expect(await memory.service.listAll(collection)).toHaveLength(count);
    }
  });

  it('saves, reads and deletes through the adapter there, revisions included', async () => {
    const memory = await startMemoryProcess();
    started.push(memory);
    expect(memory.contents).toBeUndefined();
    const { service } = memory;
    const [saved, other] = await service.saveMany('agents', [
      { id: 'a', doc: { name: 'A' } },
      { id: 'b', doc: { name: 'B' } },
    ]);
    expect(saved).toMatchObject({ id: 'a', rev: expect.any(String) });
    expect(other).toMatchObject({ id: 'b' });
    expect(await service.getMany('agents', ['a', 'missing'])).toEqual([
      { _id: 'a', _rev: (saved as { rev: string }).rev, name: 'A' },
      null,
    ]);
    const { rev } = await service.save('agents', 'a', { name: 'A2' });
    await expect(
      service.save('agents', 'a', { name: 'A3' }, { ifRev: 'stale' }),
    ).rejects.toMatchObject({
      status: 409,
    });
    await service.delete('agents', 'a', { ifRev: rev });
    await expect(service.get('agents', 'a')).rejects.toMatchObject({ status: 404 });
  });

  it('fails calls once its process is gone, and still stops cleanly', async () => {
    const memory = await startMemoryProcess({ documents: 12, seed: 1 });
    started.push(memory);
    process.kill(memory.pid, 'SIGKILL');
    await expect.poll(() => isAlive(memory.pid)).toBe(false);
    const killedAt = Date.now();
    await expect
      .poll(() => memory.service.listAll('agents').catch((error: Error) => error.message))
      .toMatch(/memory process has exited/);
    expect(Date.now() - killedAt).toBeLessThan(5_000);
    await memory.stop();
  });
});
