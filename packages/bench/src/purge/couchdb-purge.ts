import { randomBytes } from 'node:crypto';
import { CouchDbDatabaseService } from '@gofannon/db-couchdb';
import { couchServerFromEnv, startCouchServer } from '@gofannon/test-support';
import { describeServer, dropDatabases } from '../providers/couchdb';
import { startWireProxyFor } from '../providers/wire-proxy';
import { expiredDocuments } from './expired-documents';
import type { PurgeBenchSettings, PurgeResult } from './results';

/** The purge of 100,000 documents takes a while on a busy machine: no request is cut short. */
const TIMEOUT_MS = 600_000;

/**
 * CouchDB (`COUCHDB_URL`, else a local server as the table bench starts): one service
 * loads the documents straight to the server (its first expiring write makes the purge's
 * view, which CouchDB then builds in the background as the load goes on, as it would in
 * service), and a fresh service times `purgeExpired` through a counting proxy: every
 * HTTP request of the purge, the view reads and the `_bulk_docs` deletes, and the one
 * request a fresh service makes to learn what the server is.
 */
export async function measureCouchDbPurge(
  settings: PurgeBenchSettings,
  env: Readonly<Record<string, string | undefined>>,
  print: (line: string) => void,
): Promise<PurgeResult> {
  const server = couchServerFromEnv(env) ?? (await startCouchServer());
  const proxy = await startWireProxyFor(server, server.url);
  const run = `bench_${randomBytes(6).toString('hex')}_purge_`;
  const credentials = { user: server.user, password: server.password };
  const options = { ...credentials, databasePrefix: run, timeoutMs: TIMEOUT_MS };
  const loader = new CouchDbDatabaseService({ ...options, url: server.url });
  const purger = new CouchDbDatabaseService({ ...options, url: proxy.url });
  try {
    for (const items of expiredDocuments(settings.documents, Date.now())) {
      const results = await loader.saveMany('sessions', items);
      const failed = results.find((result) => 'error' in result);
      if (failed) throw new Error(`couchdb: loading failed: ${JSON.stringify(failed)}`);
    }
    print('couchdb: purging');
    proxy.reset();
    const started = process.hrtime.bigint();
    const purged = await purger.purgeExpired('sessions');
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const { requests } = proxy.counts();
    return {
      provider: 'couchdb',
      backend: describeServer(server),
      documents: settings.documents,
      purged,
      seconds,
      roundTripsPer1000: purged === 0 ? requests : (requests * 1000) / purged,
      notes: [
        `${requests} HTTP requests in all, counted by a proxy: view reads and _bulk_docs deletes of 1,000 documents each, and one GET / of a fresh service`,
        "the expiry view was made by the load's first write; CouchDB's background indexer builds it meanwhile, the purge's first read brings it up to date",
      ],
    };
  } finally {
    await loader.close();
    await purger.close();
    try {
      await dropDatabases(server, run);
    } finally {
      await proxy.close();
      await server.close();
    }
  }
}
