import type { DatabaseService, JsonObject } from '@gofannon/db-core';
import { MemoryDatabaseService } from '@gofannon/db-memory';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/run-cli';
import { importFile } from '../src/commands/import';
import { ExportWriter } from '../src/format/ndjson-writer';
import { captureStream } from './support/capture';
import { usePostgresServices } from './support/postgres-services';
import { postgresEnv } from './support/servers';
import { useTempDir } from './support/temp-dir';

const tmp = useTempDir();
const postgres = usePostgresServices();

const COPIES = 40;

/**
 * 600 tickets; `t5` twice within the first batch of 100, and `dup` 40 times spread over
 * every batch, each copy with other content. The last copy of each is what must be kept.
 */
async function fileWithRepeats(name: string): Promise<string> {
  const file = tmp.path(name);
  const writer = await ExportWriter.open(file, 'memory');
  let copy = 0;
  for (let i = 0; i < 600; i++) {
    await writer.write('tickets', `t${i}`, { n: i });
    if (i === 7) await writer.write('tickets', 't5', { n: 5, copy: 'last' });
    if (i % 15 === 0) {
      copy += 1;
      await writer.write('tickets', 'dup', { v: copy });
    }
  }
  await writer.finish();
  expect(copy).toBe(COPIES);
  return file;
}

const targets: Array<[string, () => Promise<DatabaseService>]> = [
  ['memory', async () => new MemoryDatabaseService()],
  ['postgres', () => postgres.open(postgresEnv(postgres.server))],
];

describe.each(targets)('an id repeated in an import file, on %s', (_, openTarget) => {
  it('the last copy wins, every time, and the repeats are counted', async () => {
    const file = await fileWithRepeats(`repeats-${_}.ndjson`);
    for (let run = 0; run < 3; run++) {
      const target = await openTarget();
      const summary = await importFile({
        target,
        file,
        batchSize: 100,
        concurrency: 4,
        verify: true,
      });
      expect(summary).toMatchObject({ ok: true, failures: 0 });
      expect(summary.collections).toEqual([
        expect.objectContaining({
          collection: 'tickets',
          read: 600 + 1 + COPIES,
          duplicates: COPIES,
          written: 601,
          failed: 0,
        }),
      ]);
      expect(summary.verify).toEqual([
        expect.objectContaining({
          collection: 'tickets',
          match: true,
          source: expect.objectContaining({ documents: 601 }),
        }),
      ]);
      const stored = new Map<string, JsonObject>(
        (await target.listAll('tickets')).map(({ _id, _rev, ...body }) => [_id, body]),
      );
      expect(stored.size).toBe(601);
      expect(stored.get('dup')).toEqual({ v: COPIES });
      expect(stored.get('t5')).toEqual({ n: 5, copy: 'last' });

      const again = await importFile({ target, file, batchSize: 100 });
      expect(again.collections[0]).toMatchObject({ written: 0, unchanged: 601 });
    }
  });
});

describe('the command', () => {
  it('says how many earlier copies it skipped', async () => {
    const file = await fileWithRepeats('repeats-cli.ndjson');
    const stdout = captureStream();
    const stderr = captureStream();
    const status = await runCli(['import', file, '--batch-size', '100'], {
      stdout: stdout.out,
      stderr: stderr.out,
      env: { DATABASE_PROVIDER: 'memory' },
    });
    expect(stderr.text()).not.toContain('saveMany');
    expect(status).toBe(0);
    expect(stdout.text()).toContain(
      `tickets: ${COPIES} document line(s) repeat an id found later in the file; only the last copy of each was imported`,
    );
  });
});
