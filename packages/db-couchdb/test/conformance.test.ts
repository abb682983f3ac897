import { runConformanceSuite } from '@gofannon/db-core/conformance';
import {
  type CouchServer,
  type RequestCounter,
  requestGateOf,
  startHttpRequestCounter,
  useCouchServer,
} from '@gofannon/test-support';
import { afterAll, beforeAll } from 'vitest';
import { CouchDbDatabaseService, type CouchDbOptions } from '../src';
import { couchInspector } from './support/couch-inspector';

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

function configuration(name: string, extra: Partial<CouchDbOptions>, timeoutMs: number) {
  const prefix = extra.databasePrefix ?? '';
  const service = (url: string, timeoutMs: number, clock?: () => number) =>
    new CouchDbDatabaseService({
      url,
      user: server.user,
      password: server.password,
      timeoutMs,
      ...(clock === undefined ? {} : { clock }),
      ...extra,
    });
  runConformanceSuite({
    name,
    // The suite's clock: its expiry cases move it instead of waiting.
    create: ({ clock }) => service(server.url, timeoutMs, clock),
    inspector: couchInspector(() => server, prefix),
    outage: ownServer
      ? { stop: () => server.stop(), start: () => server.restart(), timeoutMs }
      : undefined,
    // Services whose requests pass a counting proxy, for the cancellation cases.
    requestGate: requestGateOf(() => counter, service),
  });
}

configuration('couchdb', {}, 10_000);
configuration(
  'couchdb with a database prefix and a short timeout',
  { databasePrefix: 'gofannon_test_' },
  3_000,
);
