import type { JsonObject, JsonValue, StoredDocument } from '@gofannon/db-core';

/**
 * JSON text with object keys sorted at every level, so that two equal values always give
 * the same text whatever order their keys were written in.
 */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  const parts: string[] = [];
  for (const key of keys) {
    const item = value[key];
    if (item !== undefined) parts.push(`${JSON.stringify(key)}:${canonicalJson(item)}`);
  }
  return `{${parts.join(',')}}`;
}

/** A stored document's content: everything but `_id` and `_rev`. */
export function documentBody(doc: StoredDocument): JsonObject {
  const { _id, _rev, ...body } = doc;
  return body;
}
