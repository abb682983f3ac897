import { access, readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { MemoryDatabaseService } from '@gofannon/db-memory';
import { describe, expect, it } from 'vitest';
import { GOFANNON_COLLECTIONS } from '../src/collections';
import { exportToFile } from '../src/commands/export';
import { importFile } from '../src/commands/import';
import { migrate } from '../src/commands/migrate';
import { collectStats, fileStats } from '../src/commands/stats';
import { gofannonDocuments, revisions, seed, snapshot } from './support/documents';
import { useTempDir } from './support/temp-dir';

const tmp = useTempDir();
const DOCUMENTS = gofannonDocuments(120);

async function seededMemory(): Promise<MemoryDatabaseService> {
  const service = new MemoryDatabaseService();
  await seed(service, DOCUMENTS);
  return service;
}

describe('memory -> file -> memory', () => {
  it.each(['backup.ndjson', 'backup.ndjson.gz'])(
    'round-trips every document through %s',
    async (name) => {
      const file = tmp.path(name);
      const source = await seededMemory();
      const exported = await exportToFile({ source, file, verify: true, batchSize: 50 });
      expect(exported.ok).toBe(true);
      expect(exported.verify?.every((result) => result.match)).toBe(true);
      expect(exported.collections.find((c) => c.collection === 'demos')?.written).toBe(128);

      const bytes = await readFile(file);
      const text = name.endsWith('.gz')
        ? gunzipSync(bytes).toString('utf8')
        : bytes.toString('utf8');
      const lines = text.trimEnd().split('\n');
      expect(JSON.parse(lines[0] ?? '')).toMatchObject({
        format: 'gofannon-db-export',
        version: 2,
        provider: 'memory',
      });
      expect(JSON.parse(lines[1] ?? '')).toEqual({
        collection: 'agents',
        id: expect.any(String),
        data: expect.any(Object),
      });
      expect(lines).toHaveLength(1 + 5 * 120 + 128 + 1);

      const target = new MemoryDatabaseService();
      const imported = await importFile({
        target,
        file,
        verify: true,
        batchSize: 64,
        concurrency: 3,
      });
      expect(imported).toMatchObject({ ok: true, failures: 0, interrupted: false });
      expect(imported.verify).toHaveLength(6);
      expect(imported.verify?.every((result) => result.match)).toBe(true);
      expect(await snapshot(target, GOFANNON_COLLECTIONS)).toEqual(
        await snapshot(source, GOFANNON_COLLECTIONS),
      );

      // A second import finds everything in place and writes nothing.
      const before = await revisions(target, GOFANNON_COLLECTIONS);
      const again = await importFile({ target, file, verify: true });
      expect(again.ok).toBe(true);
      expect(again.collections.reduce((sum, c) => sum + c.written, 0)).toBe(0);
      expect(again.collections.reduce((sum, c) => sum + c.unchanged, 0)).toBe(5 * 120 + 128);
      expect(await revisions(target, GOFANNON_COLLECTIONS)).toEqual(before);
    },
  );

  it('exports and imports only the collections asked for', async () => {
    const file = tmp.path('some.ndjson');
    const source = await seededMemory();
    await exportToFile({ source, file, collections: ['users', 'tickets'] });
    expect((await fileStats(file)).collections.map((c) => c.collection)).toEqual([
      'users',
      'tickets',
    ]);

    const target = new MemoryDatabaseService();
    const summary = await importFile({ target, file, collections: ['tickets'] });
    expect(summary.collections).toEqual([
      { collection: 'tickets', read: 120, written: 120, unchanged: 0, failed: 0, duplicates: 0 },
    ]);
    expect(await target.listAll('users')).toEqual([]);
  });

  it('refuses to overwrite an existing file without force', async () => {
    const file = tmp.path('twice.ndjson');
    const source = await seededMemory();
    await exportToFile({ source, file });
    await expect(exportToFile({ source, file })).rejects.toThrow(/already exists; pass --force/);
    await expect(exportToFile({ source, file, force: true })).resolves.toMatchObject({ ok: true });
  });
});

describe('--dry-run', () => {
  it('export reads and counts but writes no file', async () => {
    const file = tmp.path('dry.ndjson');
    const summary = await exportToFile({ source: await seededMemory(), file, dryRun: true });
    expect(summary.collections.find((c) => c.collection === 'users')?.read).toBe(120);
    await expect(access(file)).rejects.toThrow();
  });

  it('import and migrate report what they would write and write nothing', async () => {
    const file = tmp.path('for-dry-run.ndjson');
    const source = await seededMemory();
    await exportToFile({ source, file });
    const target = new MemoryDatabaseService();
    await target.save('agents', 'already-there', { name: 'kept' });

    const imported = await importFile({ target, file, dryRun: true });
    expect(imported.dryRun).toBe(true);
    expect(imported.collections.find((c) => c.collection === 'agents')?.written).toBe(120);
    const migrated = await migrate({ source, target, dryRun: true, verify: true });
    expect(migrated.collections.reduce((sum, c) => sum + c.written, 0)).toBe(5 * 120 + 128);
    // Verify in a dry run compares as things are: the target is not a copy yet.
    expect(migrated.verify?.some((result) => !result.match)).toBe(true);
    expect(migrated.ok).toBe(false);

    expect((await snapshot(target, GOFANNON_COLLECTIONS)).size).toBe(1);
  });
});

describe('stats', () => {
  it('counts documents per collection of a service and of a file', async () => {
    const source = await seededMemory();
    const stats = await collectStats(source);
    expect(stats.collections).toEqual(
      GOFANNON_COLLECTIONS.map((collection) => ({
        collection,
        documents: collection === 'demos' ? 128 : 120,
      })),
    );
    expect(stats.total).toBe(5 * 120 + 128);
    expect(
      (await collectStats(source, { collections: ['users', 'nothing-here'] })).collections,
    ).toEqual([
      { collection: 'users', documents: 120 },
      { collection: 'nothing-here', documents: 0 },
    ]);

    const file = tmp.path('stats.ndjson.gz');
    await exportToFile({ source, file });
    const fromFile = await fileStats(file);
    expect(fromFile.total).toBe(stats.total);
    expect(fromFile.collections).toEqual(stats.collections);
  });
});

describe('interruption', () => {
  it('stops after the batches in flight and a re-run completes', async () => {
    const source = await seededMemory();
    const target = new MemoryDatabaseService();
    const controller = new AbortController();
    const progress = {
      begin() {},
      update: () => controller.abort(),
      end() {},
      note() {},
      close() {},
    };
    const stopped = await migrate({
      source,
      target,
      batchSize: 10,
      concurrency: 2,
      progress,
      signal: controller.signal,
    });
    expect(stopped).toMatchObject({ interrupted: true, ok: false });
    const written = stopped.collections.reduce((sum, c) => sum + c.written, 0);
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThanOrEqual(20);
    expect(stopped.collections.map((c) => c.collection)).toEqual(['agents']);

    const finished = await migrate({ source, target, batchSize: 10, verify: true });
    expect(finished.ok).toBe(true);
    expect(finished.collections.reduce((sum, c) => sum + c.unchanged, 0)).toBe(written);
  });

  it('an interrupted export leaves no file', async () => {
    const file = tmp.path('interrupted.ndjson');
    const controller = new AbortController();
    const progress = {
      begin() {},
      update: () => controller.abort(),
      end() {},
      note() {},
      close() {},
    };
    const summary = await exportToFile({
      source: await seededMemory(),
      file,
      batchSize: 10,
      progress,
      signal: controller.signal,
    });
    expect(summary.interrupted).toBe(true);
    await expect(access(file)).rejects.toThrow();
  });
});
