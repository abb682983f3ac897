import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runBenchCommand } from '../src/bench-command';
import { parseCliOptions } from '../src/cli-options';
import { openHttpBackend } from '../src/http/backends';
import { BENCH_TOKEN, MIX, mixPicker } from '../src/http/mix';
import { startServerProcess } from '../src/http/server-process';

describe('pnpm bench --http', () => {
  let outDir: string | undefined;
  afterEach(async () => {
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('loads the baseline and the API on memory and writes the comparison', async () => {
    outDir = await mkdtemp(join(tmpdir(), 'gofannon-http-bench-'));
    const printed: string[] = [];
    const flags = [
      '--http',
      '--http-providers',
      'memory',
      '--http-duration',
      '1',
      '--http-warmup',
      '0',
      '--http-rounds',
      '2',
    ];
    const { httpReport, file, exitCode } = await runBenchCommand(
      [...flags, '--out', outDir],
      {},
      (text) => printed.push(text),
    );
    expect(exitCode).toBe(0);
    expect(httpReport?.measurements.map((m) => m.target)).toEqual(['baseline', 'api on memory']);
    for (const measurement of httpReport?.measurements ?? []) {
      expect(measurement.requestsPerSecond, measurement.target).toBeGreaterThan(0);
      expect(measurement.failures, measurement.target).toBe(0);
      expect(measurement.latencyP99Ms).toBeGreaterThanOrEqual(measurement.latencyP50Ms);
      // Read from /proc (Linux, as here): a server answering requests spends CPU on each.
      expect(measurement.serverCpuMicrosPerRequest, measurement.target).toBeGreaterThan(0);
    }
    expect(printed.join('\n')).toMatch(/server CPU µs\/req/);
    expect(httpReport?.goal?.ratio).toBe(httpReport?.measurements[1]?.ratio);
    expect(printed.join('\n')).toMatch(/(PASS|FAIL) api on memory: \d\.\d\d of the baseline/);
    expect(JSON.parse(await readFile(file as string, 'utf8')).kind).toBe('http');
  }, 120_000);

  it('with --http-costs, also loads the API on memory without its request log, its token check, and both, and the baseline with them', async () => {
    outDir = await mkdtemp(join(tmpdir(), 'gofannon-http-bench-'));
    const flags = ['--http', '--http-providers', 'memory', '--http-costs'];
    const timing = ['--http-duration', '1', '--http-warmup', '0', '--http-rounds', '1'];
    timing.push('--out', outDir);
    const printed: string[] = [];
    const { httpReport } = await runBenchCommand([...flags, ...timing], {}, (text) =>
      printed.push(text),
    );
    expect(httpReport?.measurements.map((m) => m.target)).toEqual([
      'baseline',
      'api on memory',
      'api on memory, no request log',
      'api on memory, no token check',
      'api on memory, neither',
      "baseline with the API's request log",
      "baseline with the API's request log and token check",
    ]);
    for (const measurement of httpReport?.measurements ?? []) {
      expect(measurement.requestsPerSecond, measurement.target).toBeGreaterThan(0);
      expect(measurement.failures, measurement.target).toBe(0);
    }
    // The goal is judged on the API with everything on, not on a lighter variant.
    expect(httpReport?.goal?.ratio).toBe(httpReport?.measurements[1]?.ratio);
    const floor = httpReport?.measurements[6];
    expect(printed.join('\n')).toContain(
      `the baseline with only the API's request log and token check serves ${floor?.ratio.toFixed(2)} of the bare baseline's`,
    );
  }, 240_000);

  it('runs the API as deployed: requests without the bench token are refused', async () => {
    const backend = await openHttpBackend('memory', {});
    const server = await startServerProcess('api', backend.env);
    try {
      const anonymous = await fetch(`${server.url}/agents/agent-1`);
      expect(anonymous.status).toBe(401);
      const authorized = await fetch(`${server.url}/agents/agent-1`, {
        headers: { authorization: `Bearer ${BENCH_TOKEN}` },
      });
      expect(authorized.status).toBe(200);
    } finally {
      await server.stop();
      await backend.close();
    }
  }, 120_000);

  it('reads its flags, and refuses bad ones', () => {
    const options = parseCliOptions(
      ['--http', '--http-providers', 'memory,postgres', '--http-connections', '4'],
      {},
    );
    expect(options.http).toMatchObject({
      providers: ['memory', 'postgres'],
      connections: 4,
      durationSeconds: 5,
      featureCosts: false,
      minMemoryRatio: 0.8,
      rounds: 3,
    });
    expect(() => parseCliOptions(['--http', '--http-duration', '0'], {})).toThrow(
      /--http-duration/,
    );
  });

  it('draws the mix in its proportions, the same for a seed', () => {
    const next = mixPicker(7);
    const counts = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      const { method, path } = next();
      const kind = `${method} ${path.replace(/agent-\d+|demo-\d+|user-\d+/, '{id}')}`;
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
    const total = MIX.reduce((sum, entry) => sum + entry.weight, 0);
    for (const entry of MIX) {
      expect(((counts.get(entry.name) ?? 0) / 20_000) * total, entry.name).toBeCloseTo(
        entry.weight,
        -0.5,
      );
    }
    const a = mixPicker(3);
    const b = mixPicker(3);
    expect(Array.from({ length: 50 }, a)).toEqual(Array.from({ length: 50 }, b));
  });
});
