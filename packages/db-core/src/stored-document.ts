import type { JsonObject, StoredDocument } from './types';

/**
 * Adds `_id` and `_rev` to a body the adapter owns (freshly parsed or built for this call)
 * and returns it as a stored document.
 */
export function toStoredDocument(body: JsonObject, id: string, rev: string): StoredDocument {
  const doc = body as StoredDocument;
  doc._id = id;
  doc._rev = rev;
  return doc;
}
