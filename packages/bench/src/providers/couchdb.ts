import { randomBytes } from 'node:crypto';
import { CouchDbDatabaseService } from '@gofannon/db-couchdb';
import { type CouchServer, couchServerFromEnv, startCouchServer } from '@gofannon/test-support';
import nano from 'nano';
import { everyOperation, type ThroughputGoal } from '../results';
import { NanoBaseline } from '../targets/nano-baseline';
import { COLLECTIONS } from '../workload/shapes';
import type { BenchProvider } from './registry';
import { startWireProxyFor } from './wire-proxy';

/** Every operation at least 0.9 of the baseline's throughput. */
export const throughputGoals: readonly ThroughputGoal[] = everyOperation(0.9);

/** One saveMany call must beat as many single saves by at least this factor. */
const MIN_SAVE_MANY_SPEEDUP = 10;

/**
 * Readies CouchDB for one run: the `COUCHDB_URL` server (with `COUCHDB_USER` and
 * `COUCHDB_PASSWORD`) when set, else a local test server started now. Both targets talk to
 * it through one counting proxy, each in databases of its own random prefix; `close()`
 * drops every database of the run, then stops the proxy and the local server.
 */
export async function openCouchDbProvider(
  env: Readonly<Record<string, string | undefined>>,
): Promise<BenchProvider> {
  const server = couchServerFromEnv(env) ?? (await startCouchServer());
  const proxy = await startWireProxyFor(server, server.url);
  const run = `bench_${randomBytes(6).toString('hex')}_`;
  const viaProxy = { url: proxy.url, user: server.user, password: server.password };

  return {
    backend: describeServer(server),
    throughputGoals,
    wire: proxy,
    extras: { minSaveManySpeedup: MIN_SAVE_MANY_SPEEDUP },
    makeAdapter: () =>
      new CouchDbDatabaseService({ ...viaProxy, databasePrefix: `${run}adapter_` }),
    makeBaseline: () => NanoBaseline.create(viaProxy, `${run}nano_`, COLLECTIONS),
    async close() {
      try {
        await dropDatabases(server, run);
      } finally {
        await proxy.close();
        await server.close();
      }
    },
  };
}

export function describeServer(server: CouchServer): string {
  return server.pid === undefined ? server.description : `${server.description}, pid ${server.pid}`;
}

/**
 * Drops every database whose name starts with `prefix`, talking to the server directly
 * (not through the proxy). For a local server this only frees memory before it stops;
 * on a `COUCHDB_URL` server it leaves nothing of the run behind.
 */
export async function dropDatabases(server: CouchServer, prefix: string): Promise<void> {
  const url = new URL(server.url);
  url.username = encodeURIComponent(server.user);
  url.password = encodeURIComponent(server.password);
  const admin = nano({ url: url.toString() });
  for (const name of await admin.db.list()) {
    if (name.startsWith(prefix)) await admin.db.destroy(name);
  }
}
