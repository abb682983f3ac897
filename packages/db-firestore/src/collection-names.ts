import { ConfigurationError } from '@gofannon/db-core';

/**
 * A prefix is put before every collection name. Collection names are already plain
 * (`^[a-z][a-z0-9_-]{0,63}$`); a prefix of the same characters that starts with a letter
 * or digit keeps every full name a valid Firestore collection id (no "/", never `__.*__`).
 */
const PREFIX = /^(?:[A-Za-z0-9][A-Za-z0-9_-]{0,99})?$/;

/** Returns the prefix, or throws a ConfigurationError naming FIRESTORE_COLLECTION_PREFIX. */
export function checkCollectionPrefix(prefix: string): string {
  if (!PREFIX.test(prefix)) {
    throw new ConfigurationError(
      `FIRESTORE_COLLECTION_PREFIX must be up to 100 letters, digits, "_" or "-", starting with a letter or digit; got ${JSON.stringify(prefix)}`,
    );
  }
  return prefix;
}
