import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CouchServer, useCouchServer } from '@gofannon/test-support';
import nano from 'nano';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBenchCommand } from '../src/bench-command';

describe('pnpm bench --find --find-providers couchdb', () => {
  let server: CouchServer;
  let outDir: string;

  beforeAll(async () => {
    server = await useCouchServer();
    outDir = await mkdtemp(join(tmpdir(), 'gofannon-bench-couchdb-find-'));
  });
  afterAll(async () => {
    await server?.close();
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  async function benchDatabases(): Promise<string[]> {
    const url = new URL(server.url);
    url.username = encodeURIComponent(server.user);
    url.password = encodeURIComponent(server.password);
    const all = await nano({ url: url.toString() }).db.list();
    return all.filter((name) => name.startsWith('bench_')).sort();
  }

  it('reads one view request per indexed page where the scan reads the database, and checks both targets', async () => {
    const databasesBefore = await benchDatabases();
    const printed: string[] = [];
    const { findReport, exitCode } = await runBenchCommand(
      [
        '--find',
        '--find-providers',
        'couchdb',
        '--find-docs',
        '2000',
        '--find-pages',
        '5',
        '--out',
        outDir,
      ],
      { COUCHDB_URL: server.url, COUCHDB_USER: server.user, COUCHDB_PASSWORD: server.password },
      (line) => printed.push(line),
    );
    expect(exitCode).toBe(0);
    const result = findReport?.results[0];
    expect(result?.provider).toBe('couchdb');
    const walks = Object.fromEntries((result?.walks ?? []).map((walk) => [walk.name, walk]));
    expect(Object.keys(walks)).toEqual(['unindexed', 'indexed', 'hand-written view query']);
    for (const walk of Object.values(walks)) expect(walk.pages).toBe(5);
    // The scan reads every document on every page; the view a page and the rows around it.
    expect(walks.unindexed?.examinedPerPage).toBeGreaterThanOrEqual(2000);
    expect(walks.indexed?.examinedPerPage).toBeLessThanOrEqual(22);
    expect(walks['hand-written view query']?.examinedPerPage).toBe(21);
    expect(result?.notes).toContainEqual(
      expect.stringMatching(
        /^indexed: 1\.00 requests per page \(POST \/_design\/gofannon-find\.status,created_at\.[0-9a-f]+\/_view\/find\)$/,
      ),
    );
    expect(result?.handName).toBe('hand-written view query');
    expect(result?.handRatio).toBeGreaterThan(0);
    expect(findReport?.checks.map((check) => [check.name, check.min])).toEqual([
      ['couchdb: indexed speed-up', 20],
      ['couchdb: adapter / hand-written view query', 0.9],
    ]);
    expect(printed.join('\n')).toMatch(
      /^(PASS|FAIL) couchdb: adapter \/ hand-written view query: [\d.]+/m,
    );
    // Nothing of the run is left on the server.
    expect(await benchDatabases()).toEqual(databasesBefore);
  }, 300_000);
});
