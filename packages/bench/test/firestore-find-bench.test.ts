import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emulatorJarMissing } from '@gofannon/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBenchCommand } from '../src/bench-command';

// The run is given no FIRESTORE_EMULATOR_HOST: it starts its own emulator from the jar.
describe.skipIf(emulatorJarMissing({}))('pnpm bench --find --find-providers firestore', () => {
  let outDir: string;
  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'gofannon-bench-firestore-find-'));
  });
  afterAll(async () => {
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('reads a page and its extra document per query where the scan lists the collection, and checks the raw-client ratio', async () => {
    const printed: string[] = [];
    const { findReport, exitCode } = await runBenchCommand(
      [
        '--find',
        '--find-providers',
        'firestore',
        '--find-docs',
        '1500',
        '--find-pages',
        '5',
        '--out',
        outDir,
      ],
      {},
      (line) => printed.push(line),
    );
    const result = findReport?.results[0];
    expect(result?.provider).toBe('firestore');
    const walks = Object.fromEntries((result?.walks ?? []).map((walk) => [walk.name, walk]));
    expect(Object.keys(walks)).toEqual(['unindexed', 'indexed', 'raw client query']);
    expect(walks.indexed?.pages).toBe(5);
    expect(walks['raw client query']?.pages).toBe(5);
    // The scan lists every document for each page; the raw query bills its page and the
    // extra document, and so does the adapter, whose first page, descending, asks for
    // strings first (one read, none found): (22 + 4 * 21) / 5.
    expect(walks.unindexed?.examinedPerPage).toBeGreaterThanOrEqual(1500);
    expect(walks['raw client query']?.examinedPerPage).toBe(21);
    expect(walks.indexed?.examinedPerPage).toBeCloseTo(21.2, 5);
    expect(result?.notes).toContainEqual(
      expect.stringMatching(
        /^indexed: [\d.]+ gRPC calls and 21\.20 billed reads per page \(1\.20 queries\)$/,
      ),
    );
    expect(result?.notes).toContainEqual(
      expect.stringMatching(/^raw client query: 1\.00 gRPC calls and 21\.00 billed reads per page/),
    );
    expect(result?.handName).toBe('raw client query');
    expect(result?.handRatio).toBeGreaterThan(0);
    expect(findReport?.checks.map((check) => [check.name, check.min])).toEqual([
      ['firestore: adapter / raw client query', 0.9],
    ]);
    expect(printed.join('\n')).toMatch(
      /^(PASS|FAIL) firestore: adapter \/ raw client query: [\d.]+/m,
    );
    expect(exitCode === 0 || exitCode === 1).toBe(true);
  }, 300_000);
});
