import type { CouchServer } from './server';

/**
 * The settings `DATABASE_PROVIDER=couchdb` reads, for a test server: what other packages'
 * tests (the CLI, the API) pass to `createDatabaseService`. A fresh prefix per test keeps
 * tests apart on one server.
 */
export function couchProviderEnv(couch: CouchServer, prefix: string): Record<string, string> {
  return {
    DATABASE_PROVIDER: 'couchdb',
    COUCHDB_URL: couch.url,
    COUCHDB_USER: couch.user,
    COUCHDB_PASSWORD: couch.password,
    COUCHDB_DATABASE_PREFIX: prefix,
  };
}
