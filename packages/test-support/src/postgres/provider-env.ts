import type { PostgresServer } from './server';

/**
 * The settings `DATABASE_PROVIDER=postgres` reads, for a test server: what other packages'
 * tests (the CLI, the API) pass to `createDatabaseService`. A fresh table prefix per test
 * keeps tests apart on one server.
 */
export function postgresProviderEnv(pg: PostgresServer, prefix: string): Record<string, string> {
  return { DATABASE_PROVIDER: 'postgres', POSTGRES_URL: pg.url, POSTGRES_TABLE_PREFIX: prefix };
}
