import { randomBytes } from 'node:crypto';

/** A provider's server for the HTTP bench: the settings the API's process gets, and cleanup. */
export interface HttpBackend {
  description: string;
  env: Record<string, string>;
  close(): Promise<void>;
}

/**
 * Readies the server of a provider: the one its `*_URL` variable names, else a local one
 * started as the table bench starts it. The API's documents go under a prefix of this run.
 */
export async function openHttpBackend(
  provider: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<HttpBackend> {
  const prefix = `bench_${randomBytes(6).toString('hex')}_http_`;
  switch (provider) {
    case 'memory':
      return {
        description: 'memory adapter in the API process',
        env: { DATABASE_PROVIDER: 'memory' },
        close: async () => {},
      };
    case 'couchdb': {
      const { couchServerFromEnv, startCouchServer } = await import('../providers/couch-server');
      const { describeServer, dropDatabases } = await import('../providers/couchdb');
      const { couchProviderEnv } = await import(
        '../../../db-couchdb/test/support/couch-provider-env'
      );
      const server = couchServerFromEnv(env) ?? (await startCouchServer());
      return {
        description: describeServer(server),
        env: couchProviderEnv(server, prefix),
        close: async () => {
          await dropDatabases(server, prefix);
          await server.close();
        },
      };
    }
    case 'postgres': {
      const { postgresServerFromEnv, startPostgresServer } = await import(
        '../providers/postgres-server'
      );
      const { DURABLE, describeServer, dropTables } = await import('../providers/postgres');
      const { postgresProviderEnv } = await import(
        '../../../db-postgres/test/support/postgres-provider-env'
      );
      const server = postgresServerFromEnv(env) ?? (await startPostgresServer(DURABLE));
      return {
        description: await describeServer(server),
        env: postgresProviderEnv(server, prefix),
        close: async () => {
          await dropTables(server.url, prefix);
          await server.close();
        },
      };
    }
    default:
      throw new Error(
        `The HTTP bench has no provider "${provider}"; choose memory, couchdb or postgres`,
      );
  }
}
