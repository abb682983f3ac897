import { randomBytes } from 'node:crypto';
import type { MeasureSpec } from './measure';
import type { MigrateTargetName } from './results';

/** A target's server for one run, started (or found in the environment) by the parent. */
export interface MigrateBackend {
  /** What the target writes to; printed and written to the JSON. */
  description: string;
  /** The spec fields that point a measurement of `documents` at this backend. */
  specFor(documents: number): Pick<MeasureSpec, 'couchdb' | 'postgres'>;
  /** Drops what the measurement of `documents` wrote, so the next one starts clean. */
  cleanUp(documents: number): Promise<void>;
  /** Drops what is left of the run and stops a server this run started. */
  close(): Promise<void>;
}

/**
 * Readies a target: nothing for memory; the `COUCHDB_URL` / `POSTGRES_URL` server, else a
 * local one started exactly as the table bench starts it (the PouchDB test server; a
 * durable PostgreSQL 15). Each measurement writes under a prefix of its own.
 */
export async function openMigrateBackend(
  target: MigrateTargetName,
  env: Readonly<Record<string, string | undefined>>,
): Promise<MigrateBackend> {
  const run = `bench_${randomBytes(6).toString('hex')}_migrate_`;
  const prefix = (documents: number) => `${run}${documents}_`;
  switch (target) {
    case 'memory':
      return {
        description: 'memory adapter in the measuring process',
        specFor: () => ({}),
        cleanUp: async () => {},
        close: async () => {},
      };
    case 'couchdb': {
      const { couchServerFromEnv, startCouchServer } = await import('../providers/couch-server');
      const { describeServer, dropDatabases } = await import('../providers/couchdb');
      const server = couchServerFromEnv(env) ?? (await startCouchServer());
      return {
        description: describeServer(server),
        specFor: (documents) => ({
          couchdb: {
            url: server.url,
            user: server.user,
            password: server.password,
            databasePrefix: prefix(documents),
          },
        }),
        cleanUp: (documents) => dropDatabases(server, prefix(documents)),
        async close() {
          try {
            await dropDatabases(server, run);
          } finally {
            await server.close();
          }
        },
      };
    }
    case 'postgres': {
      const { postgresServerFromEnv, startPostgresServer } = await import(
        '../providers/postgres-server'
      );
      const { DURABLE, describeServer, dropTables } = await import('../providers/postgres');
      const server = postgresServerFromEnv(env) ?? (await startPostgresServer(DURABLE));
      let description: string;
      try {
        description = await describeServer(server);
      } catch (error) {
        await server.close();
        throw error;
      }
      return {
        description,
        specFor: (documents) => ({
          postgres: { url: server.url, tablePrefix: prefix(documents) },
        }),
        cleanUp: (documents) => dropTables(server.url, prefix(documents)),
        async close() {
          try {
            await dropTables(server.url, run);
          } finally {
            await server.close();
          }
        },
      };
    }
  }
}
