import type { DatabaseService } from '@gofannon/db-core';
import { afterAll, beforeAll } from 'vitest';
import { openService } from '../../src/config/open-service';
import { type PostgresServer, usePostgresServer } from './servers';

/**
 * Starts the test PostgreSQL server for the test file, and opens services the way the CLI
 * does; both are closed after the file.
 */
export function usePostgresServices(): {
  readonly server: PostgresServer;
  open: (env: Record<string, string>) => Promise<DatabaseService>;
} {
  let server: PostgresServer | undefined;
  const opened: DatabaseService[] = [];
  beforeAll(async () => {
    server = await usePostgresServer();
  });
  afterAll(async () => {
    await Promise.all(opened.map((service) => service.close()));
    await server?.close();
  });
  return {
    get server() {
      if (!server) throw new Error('the PostgreSQL server is started in beforeAll');
      return server;
    },
    async open(env) {
      const { service } = await openService({ env });
      opened.push(service);
      return service;
    },
  };
}
