import { readFile } from 'node:fs/promises';
import { MemoryDatabaseService } from '@gofannon/db-memory';
import { describe, expect, it } from 'vitest';
import { formatRunSummary } from '../src/cli/print';
import { exportToFile } from '../src/commands/export';
import { importFile } from '../src/commands/import';
import { migrate } from '../src/commands/migrate';
import { useTempDir } from './support/temp-dir';

const tmp = useTempDir();
const HOUR = 3_600_000;

/** A memory service on a clock that stands still until the test moves it. */
function clockedMemory() {
  let now = Date.now();
  const service = new MemoryDatabaseService({ clock: () => now });
  return { service, advance: (ms: number) => (now += ms), now: () => now };
}

describe('expiring documents', () => {
  it('export keeps _expiresAt and leaves expired documents out', async () => {
    const { service, advance, now } = clockedMemory();
    const later = now() + HOUR;
    await service.save('sessions', 'lives', { n: 1 }, { expiresAt: later });
    await service.save('sessions', 'expires', { n: 2 }, { expiresAt: now() + 1 });
    await service.save('sessions', 'forever', { n: 3 });
    advance(1);
    const file = tmp.path('sessions.ndjson');
    const summary = await exportToFile({
      source: service,
      file,
      collections: ['sessions'],
      verify: true,
    });
    expect(summary.ok).toBe(true);
    const lines = (await readFile(file, 'utf8'))
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line))
      .filter((line) => line.collection === 'sessions');
    expect(lines).toEqual([
      { collection: 'sessions', id: 'forever', data: { n: 3 } },
      {
        collection: 'sessions',
        id: 'lives',
        data: { n: 1, _expiresAt: new Date(later).toISOString() },
      },
    ]);
  });

  it('import restores _expiresAt as the expiry, and leaves out what has expired since', async () => {
    // The source runs two hours behind: 'stale' is alive there, expired an hour ago here.
    const sourceNow = Date.now() - 2 * HOUR;
    const source = new MemoryDatabaseService({ clock: () => sourceNow });
    const later = Date.now() + HOUR;
    await source.save('sessions', 'lives', { n: 1 }, { expiresAt: later });
    await source.save('sessions', 'stale', { n: 2 }, { expiresAt: sourceNow + HOUR });
    await source.save('sessions', 'forever', { n: 3 });
    const file = tmp.path('backup.ndjson');
    const exported = await exportToFile({ source, file, collections: ['sessions'] });
    expect(exported.collections[0]?.written).toBe(3);

    const target = new MemoryDatabaseService();
    const summary = await importFile({ target, file, collections: ['sessions'], verify: true });
    expect(summary.ok).toBe(true);
    // --verify compares what should be there: the expired document is not.
    expect(summary.verify?.every((result) => result.match)).toBe(true);
    const sessions = summary.collections.find((c) => c.collection === 'sessions');
    expect(sessions).toMatchObject({ written: 2, expired: 1 });
    expect(formatRunSummary(summary)).toMatch(/sessions: 1 document\(s\) had expired .* left out/);
    expect((await target.get('sessions', 'lives'))._expiresAt).toBe(new Date(later).toISOString());
    expect((await target.get('sessions', 'forever'))._expiresAt).toBeUndefined();
    await expect(target.get('sessions', 'stale')).rejects.toMatchObject({ status: 404 });
    // Importing again writes nothing: the expiry is part of what is compared.
    const again = await importFile({ target, file, collections: ['sessions'] });
    expect(again.collections.find((c) => c.collection === 'sessions')).toMatchObject({
      written: 0,
      unchanged: 2,
    });
  });

  it('migrate carries the expiry to the target', async () => {
    const { service: source } = clockedMemory();
    const later = Date.now() + HOUR;
    await source.save('sessions', 'lives', { n: 1 }, { expiresAt: later });
    const target = new MemoryDatabaseService();
    const summary = await migrate({ source, target, collections: ['sessions'] });
    expect(summary.ok).toBe(true);
    expect((await target.get('sessions', 'lives'))._expiresAt).toBe(new Date(later).toISOString());
  });
});
