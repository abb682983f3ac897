import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PostgresServer, usePostgresServer } from '@gofannon/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBenchCommand } from '../src/bench-command';
import { parseCliOptions } from '../src/cli-options';
import { benchTables } from './support/bench-tables';

describe('pnpm bench --find', () => {
  let server: PostgresServer;
  let outDir: string;

  beforeAll(async () => {
    server = await usePostgresServer();
    outDir = await mkdtemp(join(tmpdir(), 'gofannon-bench-find-'));
  });
  afterAll(async () => {
    await server?.close();
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('reports both providers, and the index examines fewer documents than the scan', async () => {
    const tablesBefore = await benchTables(server.url);
    const printed: string[] = [];
    const { findReport, file, exitCode } = await runBenchCommand(
      [
        '--find',
        '--find-providers',
        'memory,postgres',
        '--find-docs',
        '2000',
        '--find-pages',
        '5',
        '--out',
        outDir,
      ],
      { POSTGRES_URL: server.url },
      (line) => printed.push(line),
    );
    expect(exitCode).toBe(0);
    expect(findReport?.settings).toMatchObject({ documents: 2000, pages: 5, pageSize: 20 });
    expect(findReport?.results.map((result) => result.provider)).toEqual(['memory', 'postgres']);
    for (const result of findReport?.results ?? []) {
      const walks = Object.fromEntries(result.walks.map((walk) => [walk.name, walk]));
      const { unindexed, indexed } = walks;
      expect(unindexed?.pages).toBe(5);
      expect(indexed?.pages).toBe(5);
      // The scan examines the collection on every page; the index about a page.
      expect(unindexed?.examinedPerPage).toBeGreaterThanOrEqual(2000);
      expect(indexed?.examinedPerPage).toBeLessThanOrEqual(21);
      expect(result.speedup).toBeGreaterThan(0);
    }
    const postgres = findReport?.results[1];
    expect(postgres?.walks.map((walk) => walk.name)).toEqual([
      'unindexed',
      'indexed',
      'hand-written SQL',
    ]);
    expect(postgres?.examinedBy).toMatch(/unindexed: [^;]*Seq Scan[^;]*; indexed: [^;]*Index/);
    expect(postgres?.handRatio).toBeGreaterThan(0);
    expect(findReport?.checks.map((check) => check.name)).toEqual([
      'memory: indexed speed-up',
      'postgres: indexed speed-up',
      'postgres: adapter / hand-written SQL',
    ]);
    const text = printed.join('\n');
    expect(text).toMatch(/^(PASS|FAIL) postgres: adapter \/ hand-written SQL: [\d.]+/m);
    expect(JSON.parse(await readFile(file as string, 'utf8'))).toMatchObject({
      settings: { documents: 2000 },
    });
    expect(await benchTables(server.url)).toEqual(tablesBefore);
  }, 180_000);

  it('takes its sizes from flags', () => {
    expect(parseCliOptions(['--find'], {}).find).toMatchObject({ documents: 100_000, pages: 50 });
    expect(() => parseCliOptions(['--find', '--find-docs', '0'], {})).toThrow(/--find-docs/);
    expect(parseCliOptions(['--find'], {}).find?.providers).toEqual([
      'memory',
      'postgres',
      'couchdb',
      'dynamodb',
      'firestore',
    ]);
    expect(parseCliOptions(['--find', '--find-providers', 'postgres'], {}).find?.providers).toEqual(
      ['postgres'],
    );
    expect(() => parseCliOptions(['--find', '--find-providers', 'mysql'], {})).toThrow(
      /--find-providers takes distinct names from memory, postgres, couchdb/,
    );
    expect(() => parseCliOptions(['--find', '--find-providers', 'memory,memory'], {})).toThrow(
      /--find-providers/,
    );
  });
});
