import { readFile, writeFile } from 'node:fs/promises';
import type { JsonObject } from '@gofannon/db-core';
import { MemoryDatabaseService } from '@gofannon/db-memory';
import { describe, expect, it } from 'vitest';
import { exportToFile } from '../src/commands/export';
import { migrate } from '../src/commands/migrate';
import { CommandError } from '../src/errors';
import type { ProgressReporter } from '../src/progress/reporter';
import { usePostgresServices } from './support/postgres-services';
import { runBin } from './support/run-bin';
import { envFileText, postgresEnv } from './support/servers';
import { useTempDir } from './support/temp-dir';

const tmp = useTempDir();
const postgres = usePostgresServices();

async function memoryWith(
  collection: string,
  docs: Array<[string, JsonObject]>,
): Promise<MemoryDatabaseService> {
  const service = new MemoryDatabaseService();
  for (let i = 0; i < docs.length; i += 500) {
    await service.saveMany(
      collection,
      docs.slice(i, i + 500).map(([id, doc]) => ({ id, doc })),
    );
  }
  return service;
}

async function readReport(path: string | undefined): Promise<Array<Record<string, unknown>>> {
  const text = await readFile(path ?? '', 'utf8');
  return text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('a target that goes down mid-run', () => {
  it.skipIf(process.env.POSTGRES_URL)(
    'fails with a clear 503 error, and a re-run after the restart completes and verifies',
    async () => {
      const docs: Array<[string, JsonObject]> = Array.from({ length: 4000 }, (_, i) => [
        `ticket-${String(i).padStart(5, '0')}`,
        { status: 'done', n: i, payload: 'x'.repeat(200) },
      ]);
      const source = await memoryWith('tickets', docs);
      const env = { ...postgresEnv(postgres.server), DATABASE_TIMEOUT_MS: '3000' };
      const target = await postgres.open(env);

      let stopping: Promise<void> | undefined;
      const progress: ProgressReporter = {
        begin() {},
        update: () => {
          stopping ??= postgres.server.stop();
        },
        end() {},
        note() {},
        close() {},
      };
      const started = Date.now();
      const error = await migrate({
        source,
        target,
        collections: ['tickets'],
        batchSize: 100,
        concurrency: 2,
        progress,
      }).catch((e: unknown) => e);
      await stopping;
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(error).toBeInstanceOf(CommandError);
      expect(error).toMatchObject({ status: 503, code: 'unavailable', collection: 'tickets' });
      expect((error as Error).message).toMatch(
        /^writing "tickets" to the target \(postgres\) failed: .*\(503 unavailable\)$/,
      );

      await postgres.server.restart();
      const reopened = await postgres.open(env);
      const partial = (await reopened.listAll('tickets')).length;
      expect(partial).toBeGreaterThan(0);
      expect(partial).toBeLessThan(docs.length);

      const rerun = await migrate({
        source,
        target: reopened,
        collections: ['tickets'],
        batchSize: 100,
        verify: true,
      });
      expect(rerun).toMatchObject({ ok: true, failures: 0 });
      expect(rerun.verify).toEqual([
        expect.objectContaining({ collection: 'tickets', match: true }),
      ]);
      expect(rerun.collections[0]?.unchanged).toBeGreaterThanOrEqual(partial - 2 * 100);
      expect((rerun.collections[0]?.unchanged ?? 0) + (rerun.collections[0]?.written ?? 0)).toBe(
        docs.length,
      );
    },
    60_000,
  );
});

describe('per-document failures', () => {
  it('NUL strings refused by postgres go to the report; the others are copied', async () => {
    const docs: Array<[string, JsonObject]> = Array.from({ length: 50 }, (_, i) => [
      `session_${i}`,
      i % 10 === 3 ? { text: `bad\u0000value ${i}` } : { text: `fine ${i}` },
    ]);
    const source = await memoryWith('sessions', docs);
    const target = await postgres.open(postgresEnv(postgres.server));
    const reportFile = tmp.path('nul-report.ndjson');
    const summary = await migrate({
      source,
      target,
      collections: ['sessions'],
      reportFile,
      verify: true,
    });
    expect(summary).toMatchObject({ ok: false, failures: 5, reportFile });
    expect(summary.collections[0]).toMatchObject({ read: 50, written: 45, failed: 5 });
    expect(summary.verify?.[0]?.match).toBe(false);
    expect((await target.listAll('sessions')).length).toBe(45);
    const report = await readReport(summary.reportFile);
    expect(report.map((r) => r.id).sort()).toEqual([
      'session_13',
      'session_23',
      'session_3',
      'session_33',
      'session_43',
    ]);
    expect(report[0]).toMatchObject({ collection: 'sessions', status: 400, code: 'invalid' });
  });

  it('documents too large for the target go to the report', async () => {
    const docs: Array<[string, JsonObject]> = Array.from({ length: 20 }, (_, i) => [
      `agent-${i}`,
      { code: i < 2 ? 'y'.repeat(5000) : 'print(1)' },
    ]);
    const source = await memoryWith('agents', docs);
    const target = new MemoryDatabaseService({ maxDocumentBytes: 2000 });
    const reportFile = tmp.path('large-report.ndjson');
    const summary = await migrate({ source, target, collections: ['agents'], reportFile });
    expect(summary).toMatchObject({ ok: false, failures: 2 });
    expect((await target.listAll('agents')).length).toBe(18);
    expect((await readReport(reportFile)).map((r) => [r.id, r.status, r.code])).toEqual([
      ['agent-0', 413, 'too_large'],
      ['agent-1', 413, 'too_large'],
    ]);
  });

  it('the bin exits 1 and writes the report, with the file line of each refused document', async () => {
    const source = await memoryWith('tickets', [
      ['t1', { ok: 1 }],
      ['t2', { bad: 'nul\u0000' }],
      ['t3', { ok: 3 }],
    ]);
    const file = tmp.path('with-nul.ndjson');
    await exportToFile({ source, file, collections: ['tickets'] });
    const env = postgresEnv(postgres.server);
    await writeFile(tmp.path('pg.env'), envFileText(env));
    const reportFile = tmp.path('bin-report.ndjson');
    const run = await runBin([
      'import',
      file,
      '--to-env',
      tmp.path('pg.env'),
      '--report',
      reportFile,
    ]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`1 document(s) were refused by the target; see ${reportFile}`);
    expect(await readReport(reportFile)).toEqual([
      expect.objectContaining({ collection: 'tickets', id: 't2', line: 3, status: 400 }),
    ]);
    expect((await (await postgres.open(env)).listAll('tickets')).map((d) => d._id).sort()).toEqual([
      't1',
      't3',
    ]);
  });
});
