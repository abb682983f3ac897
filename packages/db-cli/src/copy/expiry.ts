import type { JsonObject, SaveManyItem } from '@gofannon/db-core';

/** The saveMany item of a document: its `_expiresAt` becomes the item's `expiresAt`. */
export function saveItemOf(id: string, data: JsonObject): SaveManyItem {
  const { _expiresAt, ...doc } = data;
  return typeof _expiresAt === 'string' ? { id, doc, expiresAt: _expiresAt } : { id, doc };
}
