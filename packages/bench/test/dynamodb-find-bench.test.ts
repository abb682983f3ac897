import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBenchCommand } from '../src/bench-command';

describe('pnpm bench --find --find-providers dynamodb', () => {
  let outDir: string;
  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'gofannon-bench-dynamodb-find-'));
  });
  afterAll(async () => {
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('reads the query by index, by scan and by hand, with capacity and items read per page', async () => {
    const printed: string[] = [];
    const { findReport } = await runBenchCommand(
      [
        '--find',
        '--find-providers',
        'dynamodb',
        '--find-docs',
        '3000',
        '--find-pages',
        '5',
        '--out',
        outDir,
      ],
      process.env,
      (line) => printed.push(line),
    );
    const result = findReport?.results[0];
    expect(result?.provider).toBe('dynamodb');
    const walks = Object.fromEntries((result?.walks ?? []).map((walk) => [walk.name, walk]));
    expect(Object.keys(walks)).toEqual(['unindexed', 'indexed', 'hand-written Query']);
    expect(walks.indexed?.pages).toBe(5);
    expect(walks['hand-written Query']?.pages).toBe(5);
    if (!process.env.DYNAMODB_ENDPOINT_URL) {
      // A Scan reads the whole table for every page; the index about a page.
      expect(walks.unindexed?.examinedPerPage).toBeGreaterThanOrEqual(3000);
      expect(walks.indexed?.examinedPerPage).toBeLessThanOrEqual(2 * 21);
      expect(result?.notes?.join('\n')).toMatch(
        /indexed: [\d.]+ read capacity units, [\d.]+ requests/,
      );
    }
    expect(result?.handRatio).toBeGreaterThan(0);
    const checks = Object.fromEntries(
      (findReport?.checks ?? []).map((check) => [check.name, check]),
    );
    expect(Object.keys(checks)).toEqual([
      'dynamodb: indexed capacity advantage',
      'dynamodb: adapter / hand-written Query',
    ]);
    if (!process.env.DYNAMODB_ENDPOINT_URL) {
      expect(checks['dynamodb: indexed capacity advantage']?.passed).toBe(true);
    }
    expect(printed.join('\n')).toMatch(/dynamodb: adapter \/ hand-written Query: [\d.]+/);
  }, 300_000);
});
