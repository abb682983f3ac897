import { runConformanceSuite } from '@gofannon/db-core/conformance';
import {
  type RequestCounter,
  requestGateOf,
  startHttpRequestCounter,
} from '@gofannon/test-support';
import { afterAll, beforeAll } from 'vitest';
import { CouchDbDatabaseService, type CouchDbOptions } from '../src';
import { couchInspector } from './support/couch-inspector';
import { type CouchServer, useCouchServer } from './support/couch-server';

let server: CouchServer;
let counter: RequestCounter;
beforeAll(async () => {
  server = await useCouchServer();
  counter = await startHttpRequestCounter(server.url);
});
afterAll(async () => {
  await counter?.close();
  await server?.close();
});

/** A server named by COUCHDB_URL belongs to someone else: the suite never stops it. */
const ownServer = !process.env.COUCHDB_URL;

/** Services whose requests pass a counting proxy, for the cancellation cases. */
const requestGate = requestGateOf(
  () => counter,
  (url, timeoutMs) =>
    new CouchDbDatabaseService({ url, user: server.user, password: server.password, timeoutMs }),
);

function configuration(
  name: string,
  extra: Partial<CouchDbOptions>,
  timeoutMs: number,
  gate?: typeof requestGate,
) {
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
    requestGate: gate,
  });
}

configuration('couchdb', {}, 10_000, requestGate);
configuration(
  'couchdb with a database prefix and a short timeout',
  { databasePrefix: 'gofannon_test_' },
  3_000,
);
