import { randomBytes } from 'node:crypto';
import { couchProviderEnv } from '../../../db-couchdb/test/support/couch-provider-env';
import type { CouchServer } from '../../../db-couchdb/test/support/couch-server';
import { postgresProviderEnv } from '../../../db-postgres/test/support/postgres-provider-env';
import type { PostgresServer } from '../../../db-postgres/test/support/postgres-server';

export { useCouchServer } from '../../../db-couchdb/test/support/couch-server';
export { usePostgresServer } from '../../../db-postgres/test/support/postgres-server';
export type { CouchServer, PostgresServer };

/** A prefix no other test uses, so each test starts from empty databases or tables. */
export function uniquePrefix(): string {
  return `t${randomBytes(4).toString('hex')}_`;
}

/** Settings for `DATABASE_PROVIDER=couchdb` on the test server. */
export function couchEnv(couch: CouchServer, prefix = uniquePrefix()): Record<string, string> {
  return couchProviderEnv(couch, prefix);
}

/** Settings for `DATABASE_PROVIDER=postgres` on the test server. */
export function postgresEnv(pg: PostgresServer, prefix = uniquePrefix()): Record<string, string> {
  return postgresProviderEnv(pg, prefix);
}

/** The text of an env file holding these settings. */
export function envFileText(env: Record<string, string>): string {
  return `# written by a test\n${Object.entries(env)
    .map(([key, value]) => `${key}="${value}"`)
    .join('\n')}\n`;
}
