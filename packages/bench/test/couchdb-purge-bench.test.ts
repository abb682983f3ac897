import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CouchServer, useCouchServer } from '@gofannon/test-support';
import nano from 'nano';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBenchCommand } from '../src/bench-command';

describe('pnpm bench --purge --purge-providers couchdb', () => {
  let server: CouchServer;
  let outDir: string;

  beforeAll(async () => {
    server = await useCouchServer();
    outDir = await mkdtemp(join(tmpdir(), 'gofannon-bench-couchdb-purge-'));
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

  it('purges every document it loaded, counting the requests on the wire', async () => {
    const databasesBefore = await benchDatabases();
    const printed: string[] = [];
    const { purgeReport, exitCode } = await runBenchCommand(
      [
        '--purge',
        '--purge-providers',
        'couchdb',
        '--purge-docs',
        '2500',
        '--strict',
        '--out',
        outDir,
      ],
      { COUCHDB_URL: server.url, COUCHDB_USER: server.user, COUCHDB_PASSWORD: server.password },
      (line) => printed.push(line),
    );
    expect(exitCode).toBe(0);
    const [couchdb] = purgeReport?.results ?? [];
    expect(couchdb).toMatchObject({ provider: 'couchdb', documents: 2500, purged: 2500 });
    if (server.kind !== 'pouchdb') {
      // Three view reads (the last one short) and three _bulk_docs, and the fresh
      // service's GET /: 7 requests, 2.8 per 1,000.
      expect(couchdb?.roundTripsPer1000).toBeCloseTo(2.8, 5);
    }
    expect(printed.join('\n')).toMatch(/^couchdb +2500 +[\d.]+ +[\d,]+ +[\d.]+$/m);
    // Nothing of the run is left on the server.
    expect(await benchDatabases()).toEqual(databasesBefore);
  }, 300_000);
});
