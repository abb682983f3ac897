import { runConformanceSuite } from '@gofannon/db-core/conformance';
import { type CouchServer, useCouchServer } from '@gofannon/test-support';
import { afterAll, beforeAll } from 'vitest';
import { CouchDbDatabaseService, type CouchDbOptions } from '../src';
import { couchInspector } from './support/couch-inspector';

let server: CouchServer;
beforeAll(async () => {
  server = await useCouchServer();
});
afterAll(async () => {
  await server?.close();
});

/** A server named by COUCHDB_URL belongs to someone else: the suite never stops it. */
const ownServer = !process.env.COUCHDB_URL;

function configuration(name: string, extra: Partial<CouchDbOptions>, timeoutMs: number) {
  const prefix = extra.databasePrefix ?? '';
  runConformanceSuite({
    name,
    create: () =>
      new CouchDbDatabaseService({
        url: server.url,
        user: server.user,
        password: server.password,
        timeoutMs,
        ...extra,
      }),
    inspector: couchInspector(() => server, prefix),
    outage: ownServer
      ? { stop: () => server.stop(), start: () => server.restart(), timeoutMs }
      : undefined,
  });
}

configuration('couchdb', {}, 10_000);
configuration(
  'couchdb with a database prefix and a short timeout',
  { databasePrefix: 'gofannon_test_' },
  3_000,
);
