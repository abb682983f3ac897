import { type JsonObject, type StoredDocument, toStoredDocument } from '@gofannon/db-core';
import { fromAttributeMap, type Item, toAttributeMap } from './attribute-values';
import { isShadowAttribute } from './query/index-definitions';
import { EXPIRES_MS, ID, REV, revisionOf, TTL } from './revisions';

/**
 * Attributes that are no document field: the key, the revision, the expiry attributes and
 * the index keys. (A document's `_expiresAt`, an ISO string core adds to the body, is a
 * field: reads show it.)
 */
export const NOT_FIELDS = {
  has: (name: string) =>
    name === ID || name === REV || name === TTL || name === EXPIRES_MS || isShadowAttribute(name),
};

/** The key of the item for `id`: ids are stored as they are, DynamoDB reserves none of them. */
export function keyOf(id: string): Item {
  return { [ID]: { S: id } };
}

/**
 * How long after a document expires DynamoDB's TTL may delete it, in seconds. Expired
 * documents are hidden and refused by the service's own clock at once, and TTL deletes
 * within about two days anyway: the margin costs nothing, keeps a server clock ahead of
 * the service's from deleting early, and keeps DynamoDB Local (whose TTL sweeps within a
 * second or so) from deleting what tests on a clock of their own still look at.
 */
export const TTL_MARGIN_SECONDS = 3600;

/**
 * A document as an item: its fields as top-level attributes, beside `_id` and `_rev`. An
 * expiring document (`expiresAt`, epoch ms) also gets the TTL attribute, epoch seconds
 * rounded up plus {@link TTL_MARGIN_SECONDS}, so that DynamoDB's TTL never deletes it
 * early, and the exact milliseconds, which conditions and the purge compare with the
 * service's clock.
 */
export function toItem(id: string, rev: string, body: JsonObject, expiresAt?: number): Item {
  const item = toAttributeMap(body);
  item[ID] = { S: id };
  item[REV] = { S: rev };
  if (expiresAt !== undefined) {
    item[TTL] = { N: String(Math.ceil(expiresAt / 1000) + TTL_MARGIN_SECONDS) };
    item[EXPIRES_MS] = { N: String(expiresAt) };
  }
  return item;
}

/** Whether an item (as DynamoDB returned it) expired by `now`, epoch ms. */
export function isExpiredItem(item: Item, now: number): boolean {
  const ms = item[EXPIRES_MS]?.N;
  return ms !== undefined && Number(ms) <= now;
}

/** The id of an item DynamoDB returned. */
export function idOf(item: Item): string {
  return item[ID]?.S as string;
}

/** An item as a fresh stored document. */
export function toDocument(item: Item): StoredDocument {
  return toStoredDocument(fromAttributeMap(item, NOT_FIELDS), idOf(item), revisionOf(item));
}
