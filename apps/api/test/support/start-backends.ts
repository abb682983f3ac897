import type { TestProject } from 'vitest/node';
import { couchProviderEnv } from '../../../../packages/db-couchdb/test/support/couch-provider-env';
import { useCouchServer } from '../../../../packages/db-couchdb/test/support/couch-server';
import { postgresProviderEnv } from '../../../../packages/db-postgres/test/support/postgres-provider-env';
import { usePostgresServer } from '../../../../packages/db-postgres/test/support/postgres-server';
import type { ApiBackend } from './backends';

/**
 * Vitest global setup: starts each adapter's test server once (with the adapters' own
 * fixtures, so a `*_URL` variable points them at a server of your own) and hands their
 * settings to every test file.
 */
export default async function startBackends(project: TestProject): Promise<() => Promise<void>> {
  const [couch, pg] = await Promise.all([useCouchServer(), usePostgresServer()]);
  const backends: ApiBackend[] = [
    { name: 'memory', env: { DATABASE_PROVIDER: 'memory' } },
    {
      name: 'couchdb',
      env: couchProviderEnv(couch, ''),
      prefixVariable: 'COUCHDB_DATABASE_PREFIX',
    },
    { name: 'postgres', env: postgresProviderEnv(pg, ''), prefixVariable: 'POSTGRES_TABLE_PREFIX' },
  ];
  project.provide('backends', backends);
  return async () => {
    await Promise.all([couch.close(), pg.close()]);
  };
}
