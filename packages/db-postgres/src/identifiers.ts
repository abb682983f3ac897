import { createHash } from 'node:crypto';
import { ConfigurationError } from '@gofannon/db-core';

/** PostgreSQL silently truncates identifiers longer than this many bytes. */
const MAX_IDENTIFIER_BYTES = 63;
const PLAIN_NAME = /^[a-z_][a-z0-9_-]*$/;

/** An identifier in double quotes, safe whatever it contains. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Table names: the prefix and the collection name. One that would be truncated keeps its
 * start and ends with "$" and a hash of the whole. Neither prefixes nor collection names
 * contain "$", so a shortened name never equals a plain one and no two collections share
 * a table.
 */
export function tableNamer(prefix: string): (collection: string) => string {
  if (prefix !== '' && !PLAIN_NAME.test(prefix)) {
    throw new ConfigurationError(
      `POSTGRES_TABLE_PREFIX ${JSON.stringify(prefix)} is not usable: use a-z, 0-9, "_" and "-", not starting with a digit`,
    );
  }
  return (collection) => {
    const name = `${prefix}${collection}`;
    if (Buffer.byteLength(name) <= MAX_IDENTIFIER_BYTES) return name;
    const hash = createHash('sha256').update(name).digest('hex').slice(0, 16);
    return `${name.slice(0, MAX_IDENTIFIER_BYTES - hash.length - 1)}$${hash}`;
  };
}

/** Checks a schema name from the configuration. */
export function checkSchema(schema: string): string {
  if (
    !PLAIN_NAME.test(schema) ||
    Buffer.byteLength(schema) > MAX_IDENTIFIER_BYTES ||
    schema.startsWith('pg_')
  ) {
    throw new ConfigurationError(
      `POSTGRES_SCHEMA ${JSON.stringify(schema)} is not usable: use up to 63 of a-z, 0-9, "_" and "-", not starting with pg_`,
    );
  }
  return schema;
}
