import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { type CouchServer, isAlive, useCouchServer } from '@gofannon/test-support';
import nano from 'nano';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runBenchCommand } from '../src/bench-command';
import { expectServerTable } from './support/report-checks';
import { smallRun } from './support/small-run';

const SMALL_RUN = smallRun('couchdb');
const RUN_TIMEOUT_MS = 180_000;

describe('pnpm bench --provider couchdb', () => {
  let outDir: string;
  let server: CouchServer;

  beforeAll(async () => {
    server = await useCouchServer();
  });
  afterAll(async () => {
    await server?.close();
  });
  afterEach(async () => {
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  async function benchDatabases(): Promise<string[]> {
    const url = new URL(server.url);
    url.username = encodeURIComponent(server.user);
    url.password = encodeURIComponent(server.password);
    const all = await nano({ url: url.toString() }).db.list();
    return all.filter((name) => name.startsWith('bench_')).sort();
  }

  it(
    'measures adapter and raw nano on the COUCHDB_URL server, with requests counted on the wire',
    async () => {
      outDir = await mkdtemp(join(tmpdir(), 'gofannon-bench-couchdb-'));
      const env = {
        COUCHDB_URL: server.url,
        COUCHDB_USER: server.user,
        COUCHDB_PASSWORD: server.password,
      };
      const databasesBefore = await benchDatabases();
      const printed: string[] = [];

      const { report, file, exitCode } = await runBenchCommand(
        [...SMALL_RUN, '--out', outDir],
        env,
        (text) => printed.push(text),
      );

      expect(exitCode).toBe(0);
      expect(report?.settings).toMatchObject({ provider: 'couchdb', bulkDocs: 30, listDocs: 1200 });
      expect(report?.backend).toBe(`the CouchDB at ${server.url} (COUCHDB_URL)`);
      expectServerTable(report, 'req/op');

      const saveMany = report?.extras?.saveMany;
      expect(saveMany).toMatchObject({
        documents: 30,
        // 30 documents fit one _bulk_docs request of the adapter's 200.
        saveManyRequests: 1,
        singleSaveRequests: 30,
        minSpeedup: 10,
      });
      expect(saveMany?.saveManyMs).toBeGreaterThan(0);
      expect(saveMany?.speedup).toBeCloseTo(
        (saveMany?.singleSavesMs ?? 0) / (saveMany?.saveManyMs ?? 1),
      );
      expect(saveMany?.passed).toBe((saveMany?.speedup ?? 0) >= 10);

      const listAll = report?.extras?.listAll;
      expect(listAll).toMatchObject({ documents: 1200, requests: 2 });
      expect(listAll?.ms).toBeGreaterThan(0);
      expect(listAll?.largestResponseBytes).toBeGreaterThan(0);
      expect(listAll?.largestResponseBytes).toBeLessThan(listAll?.responseBytes ?? 0);
      expect(listAll?.largestResponseEncoding).toEqual(expect.any(String));

      expect(basename(file ?? '')).toMatch(/^couchdb-.+\.json$/);
      expect(JSON.parse(await readFile(file ?? '', 'utf8'))).toEqual(report);

      const output = printed.join('\n');
      expect(output).toMatch(/^operation .*adapter ops\/s .*req\/op .*baseline ops\/s .*req\/op/m);
      expect(output).toMatch(/^update .* 2 {2}\| .* 2 {2}\|/m);
      expect(output).toMatch(
        /^ {2}saveMany of 30 docs in one call: [\d.]+ s, 1 requests \(median of 5 calls: [\d.]+ s(, [\d.]+ s){4}\)$/m,
      );
      expect(output).toMatch(
        /^ {2}listAll of 1,200 docs: [\d.]+ s, 2 requests, largest response /m,
      );
      expect(output).toMatch(/^ {2}(PASS|FAIL) {2}saveMany vs single saves: speed-up [\d.]+x/m);

      // Everything the run created is dropped again.
      expect(await benchDatabases()).toEqual(databasesBefore);
    },
    RUN_TIMEOUT_MS,
  );

  it(
    'starts its own test server without COUCHDB_URL and stops it by pid at the end',
    async () => {
      outDir = await mkdtemp(join(tmpdir(), 'gofannon-bench-couchdb-'));

      const { report } = await runBenchCommand(
        [...SMALL_RUN, '--ops', '10', '--list-docs', '10', '--out', outDir],
        {},
        () => {},
      );

      const pid = Number(/pid (\d+)/.exec(report?.backend ?? '')?.[1]);
      expect(report?.backend).toMatch(
        /^(a real Apache CouchDB 3\.5\.0 \(.*\)|the PouchDB-based CouchDB stand-in \(.*\)) at http:\/\/127\.0\.0\.1:\d+, pid \d+$/,
      );
      expect(pid).toBeGreaterThan(0);
      expect(isAlive(pid)).toBe(false);
      expect(report?.extras?.listAll).toMatchObject({ documents: 10, requests: 1 });
    },
    RUN_TIMEOUT_MS,
  );
});
