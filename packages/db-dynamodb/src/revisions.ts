import { createHash } from 'node:crypto';
import type { Item } from './attribute-values';
import { isShadowAttribute } from './query/index-definitions';

/** The attribute that holds the revision, beside `_id`; documents cannot have top-level `_` fields. */
export const REV = '_rev';
/** The hash key of every table. */
export const ID = '_id';
/**
 * The TTL attribute of an expiring document: epoch seconds, rounded up (DynamoDB's TTL
 * format). Tables the adapter creates have TTL enabled on it.
 */
export const TTL = '_ttl';
/** The exact expiry of an expiring document in epoch milliseconds, for conditions and the purge. */
export const EXPIRES_MS = '_expiresAtMs';

/**
 * Revisions of items written without one (by the Python service, or any other tool):
 * "legacy-" and a hash of the item, so the revision changes when the content does.
 */
const LEGACY_PREFIX = 'legacy-';
const LEGACY = /^legacy-[A-Za-z0-9_-]{22}$/;

/** The revision of a stored item: its revision attribute, or a hash of the item when it has none. */
export function revisionOf(item: Item): string {
  const stored = item[REV]?.S;
  if (stored !== undefined) return stored;
  // The index keys the adapter adds to such an item (backfill) are no change of content.
  const fields: Item = Object.create(null);
  for (const name of Object.keys(item)) {
    if (!isShadowAttribute(name)) fields[name] = item[name] as Item[string];
  }
  const hash = createHash('sha256').update(canonical(fields)).digest('base64url');
  return `${LEGACY_PREFIX}${hash.slice(0, 22)}`;
}

/** Whether `ifRev` names an item without a revision attribute. */
export function isLegacyRevision(ifRev: string): boolean {
  return LEGACY.test(ifRev);
}

/** JSON with object keys sorted, so equal items hash equally whatever order they came in. */
function canonical(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('base64'));
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(record[key])}`).join(',')}}`;
}
