import { createHash } from 'node:crypto';
import { quoteIdentifier } from './identifiers';
import { fieldKey } from './query-keys';

/** PostgreSQL silently truncates identifiers longer than this many bytes. */
const MAX_IDENTIFIER_BYTES = 63;

/**
 * Bumped whenever the key expressions of {@link fieldKey} change: an index of the old
 * expressions serves no query any more, and the new one must get another name rather
 * than be skipped by IF NOT EXISTS.
 */
const KEY_VERSION = 'k1';

/**
 * The name of the index of `fields` on `table`: readable (`table$status,created$hash`)
 * and derived from table and fields only, so every process picks the same one. The hash
 * of table, fields and key version tells apart field lists that read alike and names
 * shortened to fit 63 bytes. Two "$" never occur in a table name, so no index takes a
 * table's name. `tag` sets apart indexes of another kind (the expiry index) from these.
 */
export function indexName(table: string, fields: readonly string[], tag = KEY_VERSION): string {
  const hash = createHash('sha256')
    .update(JSON.stringify([tag, table, fields]))
    .digest('hex')
    .slice(0, 12);
  const room = MAX_IDENTIFIER_BYTES - hash.length - 1;
  let readable = `${table}$${fields.join(',')}`;
  while (Buffer.byteLength(readable) > room) readable = [...readable].slice(0, -1).join('');
  return `${readable}$${hash}`;
}

/**
 * CREATE INDEX for `fields`: each field's key columns in turn, then the id, which is the
 * tie-break of every order. The expressions are {@link fieldKey}'s, the very ones
 * `_find` writes, so the planner matches its conditions and ORDER BY to the index.
 */
export function createIndexStatement(
  table: string,
  qualifiedTable: string,
  fields: readonly string[],
): string {
  // `_id` is the id column, at the end of every index already.
  const columns = fields
    .filter((field) => field !== '_id')
    .flatMap((field) => {
      const key = fieldKey(field);
      return [key.rank, key.number, key.text];
    });
  return `CREATE INDEX IF NOT EXISTS ${quoteIdentifier(indexName(table, fields))} ON ${qualifiedTable} (${[...columns, 'id'].join(', ')})`;
}
