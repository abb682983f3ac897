import { runConformanceSuite } from '@gofannon/db-core/conformance';
import {
  type PostgresServer,
  type RequestCounter,
  requestGateOf,
  startPostgresRequestCounter,
  usePostgresServer,
} from '@gofannon/test-support';
import { afterAll, beforeAll } from 'vitest';
import { PostgresDatabaseService } from '../src';
import { postgresInspector } from './support/postgres-inspector';

let server: PostgresServer;
let counter: RequestCounter;
beforeAll(async () => {
  server = await usePostgresServer();
  const url = new URL(server.url);
  counter = await startPostgresRequestCounter(url.hostname, Number(url.port || 5432));
});
afterAll(async () => {
  await counter?.close();
  await server?.close();
});

/** A server named by POSTGRES_URL belongs to someone else: the suite never stops it. */
const ownServer = !process.env.POSTGRES_URL;

/** Services whose statements pass a counting proxy, for the cancellation cases. */
const requestGate = requestGateOf(
  () => counter,
  (hostAndPort, timeoutMs) => {
    const url = new URL(server.url);
    url.host = hostAndPort;
    return new PostgresDatabaseService({
      connection: { connectionString: url.toString() },
      timeoutMs,
    });
  },
);

function configuration(
  name: string,
  tablePrefix: string,
  timeoutMs: number,
  preparedStatements: boolean,
  gate?: typeof requestGate,
) {
  runConformanceSuite({
    name,
    create: ({ clock }) =>
      new PostgresDatabaseService({
        connection: { connectionString: server.url },
        tablePrefix,
        timeoutMs,
        preparedStatements,
        clock,
      }),
    inspector: postgresInspector(() => server.url, tablePrefix),
    outage: ownServer
      ? { stop: () => server.stop(), start: () => server.restart(), timeoutMs }
      : undefined,
    requestGate: gate,
  });
}

configuration('postgres', '', 10_000, true, requestGate);
configuration(
  'postgres with a table prefix, a short timeout and unnamed statements',
  'gofannon_test_',
  3_000,
  false,
);
