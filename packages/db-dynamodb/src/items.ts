import { type JsonObject, type StoredDocument, toStoredDocument } from '@gofannon/db-core';
import { fromAttributeMap, type Item, toAttributeMap } from './attribute-values';
import { isShadowAttribute } from './query/index-definitions';
import { ID, REV, revisionOf } from './revisions';

/** Attributes that are no document field: the key, the revision and the index keys. */
export const NOT_FIELDS = {
  has: (name: string) => name === ID || name === REV || isShadowAttribute(name),
};

/** The key of the item for `id`: ids are stored as they are, DynamoDB reserves none of them. */
export function keyOf(id: string): Item {
  return { [ID]: { S: id } };
}

/** A document as an item: its fields as top-level attributes, beside `_id` and `_rev`. */
export function toItem(id: string, rev: string, body: JsonObject): Item {
  const item = toAttributeMap(body);
  item[ID] = { S: id };
  item[REV] = { S: rev };
  return item;
}

/** The id of an item DynamoDB returned. */
export function idOf(item: Item): string {
  return item[ID]?.S as string;
}

/** An item as a fresh stored document. */
export function toDocument(item: Item): StoredDocument {
  return toStoredDocument(fromAttributeMap(item, NOT_FIELDS), idOf(item), revisionOf(item));
}
