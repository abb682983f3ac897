import { ConfigurationError } from '@gofannon/db-core';

/** What CouchDB accepts as a database name. */
const COUCH_DATABASE_NAME = /^[a-z][a-z0-9_$()+/-]*$/;

/**
 * Collection names (`^[a-z][a-z0-9_-]{0,63}$`) are valid CouchDB database names already,
 * so a database is the prefix followed by the collection name: one to one, no collisions.
 */
export function databaseNamer(prefix: string): (collection: string) => string {
  if (prefix !== '' && !COUCH_DATABASE_NAME.test(`${prefix}a`)) {
    throw new ConfigurationError(
      `COUCHDB_DATABASE_PREFIX ${JSON.stringify(prefix)} is not usable: CouchDB database names start with a-z and contain only a-z, 0-9 and _$()+/-`,
    );
  }
  return (collection) => `${prefix}${collection}`;
}
