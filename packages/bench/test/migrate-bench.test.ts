import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { HEAP_GROWING_PERCENT } from '@gofannon/db-cli';
import { isAlive } from '@gofannon/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { runBenchCommand } from '../src/bench-command';
import { parseCliOptions } from '../src/cli-options';

const RUN_TIMEOUT_MS = 120_000;

/**
 * This process's child processes (measuring processes, a postmaster, its watchdog). The
 * watchdog of db-postgres's cluster template is left out: the fixture makes that template
 * once per process, on its first server start, keeps it for later starts, and its
 * watchdog removes it when this process exits.
 */
function childProcesses(): string[] {
  return execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], {
    encoding: 'utf8',
  })
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !/^\d+ ps /.test(line))
    .filter((line) => !line.includes('gofannon-pg-template-'))
    .sort();
}

/** Processes of `memory-main.ts`, which hold the memory source and target of a measurement. */
function memoryProcesses(): string[] {
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes('migrate/memory-main.ts'));
}

describe('pnpm bench --migrate', () => {
  let outDir: string | undefined;

  afterEach(async () => {
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('parses the migrate flags, with defaults of 10,000 and 100,000 for every target', () => {
    expect(parseCliOptions([], {}).migrate).toBeUndefined();
    expect(parseCliOptions(['--migrate'], { DATABASE_PROVIDER: 'nosuchdb' }).migrate).toEqual({
      targets: ['memory', 'couchdb', 'postgres', 'dynamodb', 'firestore'],
      docs: {
        memory: [10_000, 100_000],
        couchdb: [10_000, 100_000],
        postgres: [10_000, 100_000],
        dynamodb: [10_000, 100_000],
        firestore: [10_000, 100_000],
      },
      seed: 1,
      batchSize: 250,
      concurrency: 4,
      sampleIntervalMs: 50,
      maxPeakRatio: 1.5,
      repeats: { memory: 3, couchdb: 3, postgres: 3, dynamodb: 3, firestore: 1 },
    });
    expect(parseCliOptions(['--migrate', '--migrate-repeats', '2'], {}).migrate?.repeats).toEqual({
      memory: 2,
      couchdb: 2,
      postgres: 2,
      dynamodb: 2,
      firestore: 2,
    });
    expect(() => parseCliOptions(['--migrate', '--migrate-repeats', '0'], {})).toThrow(
      /--migrate-repeats/,
    );
    expect(
      parseCliOptions(
        ['--migrate', '--migrate-docs', '500,60', '--migrate-targets', 'postgres'],
        {},
      ).migrate,
    ).toMatchObject({ targets: ['postgres'], docs: { postgres: [60, 500], memory: [60, 500] } });
    expect(() => parseCliOptions(['--migrate', '--migrate-targets', 'mongo'], {})).toThrow(
      /"mongo".*memory, couchdb, postgres/,
    );
    expect(() => parseCliOptions(['--migrate', '--migrate-docs', '10,x'], {})).toThrow(
      /--migrate-docs/,
    );
  });

  it(
    'migrates to memory and postgres at two sizes, writes JSON, and leaves no process behind',
    async () => {
      outDir = await mkdtemp(join(tmpdir(), 'gofannon-bench-migrate-'));
      const childrenBefore = childProcesses();
      const printed: string[] = [];
      const env = process.env.POSTGRES_URL ? { POSTGRES_URL: process.env.POSTGRES_URL } : {};

      const { migrateReport, report, file, exitCode } = await runBenchCommand(
        [
          '--migrate',
          '--migrate-docs',
          '60,301',
          '--migrate-targets',
          'memory,postgres',
          '--out',
          outDir,
        ],
        env,
        (text) => printed.push(text),
      );

      expect(exitCode).toBe(0);
      expect(report).toBeUndefined();
      expect(migrateReport?.kind).toBe('migrate');
      const rows = migrateReport?.measurements ?? [];
      expect(rows.map((m) => [m.target, m.documents])).toEqual([
        ['memory', 60],
        ['memory', 301],
        ['postgres', 60],
        ['postgres', 301],
      ]);
      for (const m of rows) {
        expect(m.read).toBe(m.documents);
        expect(m.written).toBe(m.documents);
        expect(m.seconds).toBeGreaterThan(0);
        expect(m.docsPerSec).toBeCloseTo(m.documents / m.seconds);
        expect(m.gcForced).toBe(true);
        // Measured with the setting the gofannon-db command gives itself.
        expect(m.heapGrowingPercent).toBe(HEAP_GROWING_PERCENT);
        expect(m.samples).toBeGreaterThanOrEqual(2);
        expect(m.peakRssMiB).toBeGreaterThan(0);
        expect(m.peakRssGrowthMiB).toBeCloseTo(m.peakRssMiB - m.rssBeforeMiB);
        expect(m.dataJsonMiB).toBeGreaterThan(0);
        // The row is the run with the median peak of three.
        expect(m.runPeaksMiB).toHaveLength(3);
        expect([...m.runPeaksMiB].sort((a, b) => a - b)[1]).toBe(m.peakRssGrowthMiB);
      }
      expect(migrateReport?.checks.map((c) => [c.target, c.smallDocs, c.largeDocs])).toEqual([
        ['memory', 60, 301],
        ['postgres', 60, 301],
      ]);
      for (const check of migrateReport?.checks ?? []) {
        expect(check.maxRatio).toBe(1.5);
        expect(check.passed).toBe(check.ratio <= 1.5);
      }

      expect(basename(file ?? '')).toMatch(/^migrate-.+\.json$/);
      expect(JSON.parse(await readFile(file ?? '', 'utf8'))).toEqual(migrateReport);
      const output = printed.join('\n');
      expect(output).toMatch(/^target +docs +seconds +docs\/s/m);
      expect(output).toMatch(
        /^postgres +301 .*\| +[\d.]+ \/ [\d.]+ \/ [\d.]+ +[\d.]+ (PASS|FAIL)$/m,
      );
      expect(output).toMatch(/^ {2}(PASS|FAIL) {2}memory: peak RSS growth /m);
      expect(migrateReport?.backends.memory).toMatch(/process of its own/);

      // The measuring processes, the memory processes they started, and a server the run
      // started are gone.
      await expect.poll(childProcesses, { timeout: 5_000 }).toEqual(childrenBefore);
      expect(memoryProcesses()).toEqual([]);
      const pid = Number(/pid (\d+)$/.exec(migrateReport?.backends.postgres ?? '')?.[1]);
      if (!process.env.POSTGRES_URL) {
        expect(pid).toBeGreaterThan(0);
        expect(isAlive(pid)).toBe(false);
      }
    },
    RUN_TIMEOUT_MS,
  );
});
