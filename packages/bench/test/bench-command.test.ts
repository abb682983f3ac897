import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runBenchCommand } from '../src/bench-command';
import { OPERATION_NAMES } from '../src/results';

const SMALL_RUN = ['--ops', '200', '--warmup', '20', '--docs', '150'];

describe('pnpm bench', () => {
  let outDir: string | undefined;

  afterEach(async () => {
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('measures every operation on the memory adapter and its baseline and writes JSON', async () => {
    outDir = await mkdtemp(join(tmpdir(), 'gofannon-bench-'));
    const printed: string[] = [];

    const { report, file, exitCode } = await runBenchCommand(
      [...SMALL_RUN, '--out', outDir],
      {},
      (text) => printed.push(text),
    );

    expect(exitCode).toBe(0);
    expect(report?.settings.provider).toBe('memory');
    expect(report?.operations.map((result) => result.operation)).toEqual([...OPERATION_NAMES]);
    for (const result of report?.operations ?? []) {
      for (const stats of [result.adapter, result.baseline]) {
        // 200 documents are 2 calls of saveMany: raised to one call per pair of slices.
        expect(stats.calls).toBeGreaterThanOrEqual(64);
        expect(stats.opsPerSec).toBeGreaterThan(0);
        expect(stats.p50Ms).toBeGreaterThanOrEqual(0);
        expect(stats.p99Ms).toBeGreaterThanOrEqual(stats.p50Ms);
        expect(Number.isFinite(stats.p99Ms)).toBe(true);
      }
      expect(Number.isFinite(result.ratio)).toBe(true);
      expect(result.ratio).toBeGreaterThan(0);
    }
    expect(report?.goals.map((goal) => [goal.operation, goal.minRatio])).toEqual(
      OPERATION_NAMES.map((name) => [name, 0.9]),
    );
    expect(report?.peakRssMiB).toBeGreaterThan(0);

    expect(dirname(file ?? '')).toBe(outDir);
    expect(basename(file ?? '')).toMatch(/^memory-.+\.json$/);
    expect(JSON.parse(await readFile(file ?? '', 'utf8'))).toEqual(report);

    const output = printed.join('\n');
    for (const name of OPERATION_NAMES) expect(output).toMatch(new RegExp(`^${name}\\s`, 'm'));
    expect(output).toMatch(/^ {2}(PASS|FAIL) {2}get: ratio \d/m);
  });

  it('--all runs each provider named in turn, then prints the summary and writes one JSON', async () => {
    outDir = await mkdtemp(join(tmpdir(), 'gofannon-bench-'));
    const printed: string[] = [];

    const { reports, file, exitCode } = await runBenchCommand(
      [...SMALL_RUN, '--all', '--providers', 'memory', '--out', outDir],
      {},
      (text) => printed.push(text),
    );

    expect(exitCode).toBe(0);
    expect(reports?.map((report) => report.settings.provider)).toEqual(['memory']);
    expect(basename(file ?? '')).toMatch(/^all-.+\.json$/);
    expect(JSON.parse(await readFile(file ?? '', 'utf8')).reports).toEqual(reports);
    const output = printed.join('\n');
    expect(output).toMatch(/^operation\s+calls/m);
    const ratios = reports?.[0]?.operations.map((result) => result.ratio.toFixed(2)) ?? [];
    expect(output).toMatch(new RegExp(`^memory\\s+${ratios.join('!?\\s+')}!?\\s+-$`, 'm'));
    expect(output).toMatch(/^\d+ of 7 targets met\.$/m);
  });

  it('takes the provider from DATABASE_PROVIDER and names the known ones when it is unknown', async () => {
    await expect(
      runBenchCommand(SMALL_RUN, { DATABASE_PROVIDER: 'nosuchdb' }, () => {}),
    ).rejects.toThrow(/"nosuchdb".*memory/);
  });
});
