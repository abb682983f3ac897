import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBenchCommand } from '../src/bench-command';
import { parseCliOptions } from '../src/cli-options';

describe('pnpm bench --purge', () => {
  let outDir: string;
  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'gofannon-bench-purge-'));
  });
  afterAll(async () => {
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('purges every expired document it loaded, and says how fast', async () => {
    const printed: string[] = [];
    const { purgeReport, exitCode } = await runBenchCommand(
      [
        '--purge',
        '--purge-providers',
        'memory',
        '--purge-docs',
        '1200',
        '--strict',
        '--out',
        outDir,
      ],
      {},
      (line) => printed.push(line),
    );
    expect(exitCode).toBe(0);
    const [memory] = purgeReport?.results ?? [];
    expect(memory).toMatchObject({ provider: 'memory', documents: 1200, purged: 1200 });
    expect(memory?.seconds).toBeGreaterThan(0);
    expect(printed.join('\n')).toMatch(/^memory +1200 +[\d.]+ +[\d,]+ +0\.0$/m);
  });

  it('takes its sizes and providers from flags', () => {
    expect(parseCliOptions(['--purge'], {}).purge?.documents).toBe(100_000);
    expect(
      parseCliOptions(['--purge', '--purge-providers', 'memory'], {}).purge?.providers,
    ).toEqual(['memory']);
    expect(() => parseCliOptions(['--purge', '--purge-docs', '0'], {})).toThrow(/--purge-docs/);
    expect(() => parseCliOptions(['--purge', '--purge-providers', 'mysql'], {})).toThrow(
      /--purge-providers takes distinct names from memory/,
    );
  });
});
