import { runConformanceSuite } from '@gofannon/db-core/conformance';
import { type PostgresServer, usePostgresServer } from '@gofannon/test-support';
import { afterAll, beforeAll } from 'vitest';
import { PostgresDatabaseService } from '../src';
import { postgresInspector } from './support/postgres-inspector';

let server: PostgresServer;
beforeAll(async () => {
  server = await usePostgresServer();
});
afterAll(async () => {
  await server?.close();
});

/** A server named by POSTGRES_URL belongs to someone else: the suite never stops it. */
const ownServer = !process.env.POSTGRES_URL;

function configuration(
  name: string,
  tablePrefix: string,
  timeoutMs: number,
  preparedStatements: boolean,
) {
  runConformanceSuite({
    name,
    create: () =>
      new PostgresDatabaseService({
        connection: { connectionString: server.url },
        tablePrefix,
        timeoutMs,
        preparedStatements,
      }),
    inspector: postgresInspector(() => server.url, tablePrefix),
    outage: ownServer
      ? { stop: () => server.stop(), start: () => server.restart(), timeoutMs }
      : undefined,
  });
}

configuration('postgres', '', 10_000, true);
configuration(
  'postgres with a table prefix, a short timeout and unnamed statements',
  'gofannon_test_',
  3_000,
  false,
);
