import type { JsonObject, SaveManyItem } from '@gofannon/db-core';

/**
 * Whether a document read from a file or a source had expired by `now`: such a document
 * no longer exists, so it is neither exported (a source's reads skip it already) nor
 * imported or migrated.
 */
export function hasExpired(data: JsonObject, now: number): boolean {
  const at = data._expiresAt;
  return typeof at === 'string' && Date.parse(at) <= now;
}

/** The saveMany item of a document: its `_expiresAt` becomes the item's `expiresAt`. */
export function saveItemOf(id: string, data: JsonObject): SaveManyItem {
  const { _expiresAt, ...doc } = data;
  return typeof _expiresAt === 'string' ? { id, doc, expiresAt: _expiresAt } : { id, doc };
}
