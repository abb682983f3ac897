import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { JsonObject, JsonValue } from '@gofannon/db-core';

/** One item as the low-level client sends and receives it. */
export type Item = Record<string, AttributeValue>;

/**
 * A JSON value as a DynamoDB attribute: strings, numbers, booleans and null natively,
 * arrays as lists, objects as maps. A number travels as its shortest round-trip decimal
 * (`String(n)`), which DynamoDB keeps digit for digit, so it reads back as the same double.
 */
export function toAttribute(value: JsonValue): AttributeValue {
  switch (typeof value) {
    case 'string':
      return { S: value };
    case 'number':
      return { N: String(value) };
    case 'boolean':
      return { BOOL: value };
  }
  if (value === null) return { NULL: true };
  if (Array.isArray(value)) return { L: value.map(toAttribute) };
  return { M: toAttributeMap(value) };
}

/** An object's fields as attributes, in an object without a prototype ("__proto__" is a key). */
export function toAttributeMap(object: JsonObject): Item {
  const map: Item = Object.create(null);
  for (const key of Object.keys(object)) map[key] = toAttribute(object[key] as JsonValue);
  return map;
}

/**
 * An attribute as a JSON value. Besides what {@link toAttribute} writes, it reads what other
 * tools may have stored: sets become arrays, binary values base64 strings.
 */
export function fromAttribute(attribute: AttributeValue): JsonValue {
  if (attribute.S !== undefined) return attribute.S;
  if (attribute.N !== undefined) return Number(attribute.N);
  if (attribute.BOOL !== undefined) return attribute.BOOL;
  if (attribute.NULL !== undefined) return null;
  if (attribute.M !== undefined) return fromAttributeMap(attribute.M);
  if (attribute.L !== undefined) return attribute.L.map(fromAttribute);
  if (attribute.SS !== undefined) return [...attribute.SS];
  if (attribute.NS !== undefined) return attribute.NS.map(Number);
  if (attribute.B !== undefined) return Buffer.from(attribute.B).toString('base64');
  if (attribute.BS !== undefined) return attribute.BS.map((b) => Buffer.from(b).toString('base64'));
  throw new Error(`Unknown DynamoDB attribute type ${Object.keys(attribute).join(', ')}`);
}

/** A map of attributes as a fresh plain object; a "__proto__" key stays an own key. */
export function fromAttributeMap(map: Item, skip?: { has(key: string): boolean }): JsonObject {
  const object: JsonObject = {};
  for (const key of Object.keys(map)) {
    if (skip?.has(key)) continue;
    const value = fromAttribute(map[key] as AttributeValue);
    if (key === '__proto__') {
      Object.defineProperty(object, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else object[key] = value;
  }
  return object;
}
