import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import {
  isAlive,
  type PostgresServer,
  postgresServerFromEnv,
  startPostgresServer,
} from '@gofannon/test-support';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runBenchCommand } from '../src/bench-command';
import { benchTables } from './support/bench-tables';
import { expectServerTable } from './support/report-checks';
import { smallRun } from './support/small-run';

const SMALL_RUN = smallRun('postgres');
const RUN_TIMEOUT_MS = 120_000;

/** This process's child processes (a postmaster, a watchdog shell), as "pid args" lines. */
function childProcesses(): string[] {
  const lines = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], {
    encoding: 'utf8',
  }).split('\n');
  return lines
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^\d+ ps /.test(line))
    .sort();
}

describe('pnpm bench --provider postgres', () => {
  let outDir: string;
  let server: PostgresServer;

  beforeAll(async () => {
    server = postgresServerFromEnv() ?? (await startPostgresServer());
  });
  afterAll(async () => {
    await server?.close();
  });
  afterEach(async () => {
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it(
    'measures adapter and raw pg on the POSTGRES_URL server, with statements counted per call',
    async () => {
      outDir = await mkdtemp(join(tmpdir(), 'gofannon-bench-postgres-'));
      const tablesBefore = await benchTables(server.url);
      const printed: string[] = [];

      const { report, file, exitCode } = await runBenchCommand(
        [...SMALL_RUN, '--out', outDir],
        { POSTGRES_URL: server.url },
        (text) => printed.push(text),
      );

      expect(exitCode).toBe(0);
      expect(report?.settings).toMatchObject({
        provider: 'postgres',
        ops: 40,
        bulkDocs: 30,
        listDocs: 1200,
      });
      expect(report?.backend).toMatch(
        /^PostgreSQL \d+\S* .*at postgres(ql)?:\/\/.* \(POSTGRES_URL\)$/,
      );
      expect(report?.wireUnit?.column).toBe('stmt/op');
      expectServerTable(report, 'stmt/op');

      const saveMany = report?.extras?.saveMany;
      expect(saveMany).toMatchObject({
        documents: 30,
        // 30 documents fit one statement of the adapter's 500.
        saveManyRequests: 1,
        singleSaveRequests: 30,
        minSpeedup: 20,
      });
      expect(saveMany?.saveManyMs).toBeGreaterThan(0);
      // The compared time is the median of the five timed calls.
      const runs = [...(saveMany?.saveManyRunsMs ?? [])].sort((a, b) => a - b);
      expect(runs).toHaveLength(5);
      expect(saveMany?.saveManyMs).toBe(runs[2]);
      expect(saveMany?.speedup).toBeCloseTo(
        (saveMany?.singleSavesMs ?? 0) / (saveMany?.saveManyMs ?? 1),
      );
      expect(saveMany?.passed).toBe((saveMany?.speedup ?? 0) >= 20);

      const listAll = report?.extras?.listAll;
      expect(listAll).toMatchObject({
        documents: 1200,
        requests: 2,
        largestResponseEncoding: 'identity',
      });
      expect(listAll?.ms).toBeGreaterThan(0);
      expect(listAll?.largestResponseBytes).toBeGreaterThan(0);
      expect(listAll?.largestResponseBytes).toBeLessThan(listAll?.responseBytes ?? 0);

      expect(basename(file ?? '')).toMatch(/^postgres-.+\.json$/);
      expect(JSON.parse(await readFile(file ?? '', 'utf8'))).toEqual(report);

      const output = printed.join('\n');
      expect(output).toMatch(
        /^operation .*adapter ops\/s .*stmt\/op .*baseline ops\/s .*stmt\/op/m,
      );
      expect(output).toMatch(/^update .* 2 {2}\| .* 2 {2}\|/m);
      expect(output).toMatch(/^stmt\/op = SQL statements/m);
      expect(output).toMatch(
        /^ {2}saveMany of 30 docs in one call: [\d.]+ s, 1 statements \(median of 5 calls: [\d.]+ s(, [\d.]+ s){4}\)$/m,
      );
      expect(output).toMatch(/^ {2}30 single saves, one by one: [\d.]+ s, 30 statements$/m);
      expect(output).toMatch(
        /^ {2}listAll of 1,200 docs: [\d.]+ s, 2 statements, largest response /m,
      );
      expect(output).toMatch(/^ {2}(PASS|FAIL) {2}get: ratio \d/m);
      expect(output).toMatch(/^ {2}(PASS|FAIL) {2}saveMany vs single saves: speed-up [\d.]+x/m);

      // Every table the run created is dropped again.
      expect(await benchTables(server.url)).toEqual(tablesBefore);
    },
    RUN_TIMEOUT_MS,
  );

  it.skipIf(Boolean(process.env.POSTGRES_URL))(
    'starts its own server without POSTGRES_URL and leaves no process of it running',
    async () => {
      outDir = await mkdtemp(join(tmpdir(), 'gofannon-bench-postgres-'));
      const childrenBefore = childProcesses();

      const { report } = await runBenchCommand(
        [...SMALL_RUN, '--ops', '10', '--list-docs', '10', '--out', outDir],
        {},
        () => {},
      );

      const backend = report?.backend ?? '';
      expect(backend).toMatch(
        /^local PostgreSQL \d.* server \(durable.*\) at postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres, pid \d+$/,
      );
      const pid = Number(/pid (\d+)$/.exec(backend)?.[1]);
      const url = /at (postgres:\/\/\S+),/.exec(backend)?.[1] ?? '';
      expect(pid).toBeGreaterThan(0);
      expect(isAlive(pid)).toBe(false);
      // Its postmaster and watchdog are gone, and nothing answers on its port any more.
      // (A child killed a moment ago may still wait to be reaped, hence the poll.)
      await expect.poll(childProcesses, { timeout: 5_000 }).toEqual(childrenBefore);
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
      client.on('error', () => {});
      await expect(client.connect()).rejects.toThrow(/ECONNREFUSED/);
      expect(report?.extras?.listAll).toMatchObject({ documents: 10, requests: 1 });
    },
    RUN_TIMEOUT_MS,
  );
});
