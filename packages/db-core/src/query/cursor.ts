import { createHash } from 'node:crypto';
import { tryParse } from '../cursor';
import { ValidationError } from '../errors';
import { isDocumentId } from '../validation/names';
import { compareScalars, isScalar } from './compare';
import type { Condition, JsonScalar, QueryOrder, QueryPosition } from './types';

// Distinct from list cursors (`[1, collection, position]`), so neither is taken for the other.
const KIND = 'q1';

/** What a query cursor is bound to: its collection, conditions and order (not its page size). */
export interface CursorScope {
  collection: string;
  where: readonly Condition[];
  order: QueryOrder;
}

/**
 * Makes the opaque cursor after `position`: keyset paging on (sort value, `_id`), never an
 * offset, so writes between pages neither skip nor repeat a document. The cursor carries
 * a digest of its collection and query, so a cursor of any other query is refused.
 */
export function encodeQueryCursor(scope: CursorScope, position: QueryPosition): string {
  const payload = [KIND, fingerprint(scope), position.value, position.id];
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/** The position a cursor of this query holds; 400 for anything that is not one. */
export function decodeQueryCursor(scope: CursorScope, cursor: string): QueryPosition {
  const parsed = tryParse(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (Array.isArray(parsed) && parsed.length === 4 && parsed[0] === KIND) {
    const [, digest, value, id] = parsed as [string, unknown, unknown, unknown];
    if (digest !== fingerprint(scope)) {
      throw new ValidationError(
        'Invalid query: cursor belongs to another query or collection; pass the nextCursor of an earlier page of this same query',
        { collection: scope.collection, path: '/cursor' },
      );
    }
    if (isScalar(value) && isDocumentId(id)) return { value, id };
  }
  throw new ValidationError(
    'Invalid query: cursor is not a nextCursor of this query; pass it back unchanged',
    { collection: scope.collection, path: '/cursor' },
  );
}

/**
 * A digest of the query's meaning: conditions in any order, `in` values in any order or
 * repeated, and `1` or `1.0` all give the same one.
 */
function fingerprint({ collection, where, order }: CursorScope): string {
  const conditions = where
    .map(({ field, op, value }) =>
      JSON.stringify([field, op, Array.isArray(value) ? canonicalValues(value) : value]),
    )
    .sort();
  const text = JSON.stringify([collection, conditions, order.field, order.direction]);
  let digest = recentDigests.get(text);
  if (digest === undefined) {
    digest = createHash('sha256').update(text).digest('base64url').slice(0, 22);
    if (recentDigests.size >= MAX_RECENT_DIGESTS) recentDigests.clear();
    recentDigests.set(text, digest);
  }
  return digest;
}

/**
 * Digests of the queries walked lately, by their canonical text. Every page of a walk
 * needs its query's digest twice (checking the cursor it got, making the next one), and a
 * hash costs more than the rest of both; an application asks few distinct queries.
 */
const recentDigests = new Map<string, string>();
const MAX_RECENT_DIGESTS = 512;

function canonicalValues(values: readonly JsonScalar[]): JsonScalar[] {
  const sorted = [...values].sort(compareScalars);
  return sorted.filter(
    (value, i) => i === 0 || compareScalars(value, sorted[i - 1] as JsonScalar) !== 0,
  );
}
