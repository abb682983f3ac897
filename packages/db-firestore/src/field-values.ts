import type { JsonObject, JsonValue } from '@gofannon/db-core';
import { DocumentReference, GeoPoint, Timestamp, VectorValue } from '@google-cloud/firestore';

/**
 * Firestore refuses arrays directly inside arrays, field names matching `__.*__` and the
 * empty field name. The document is stored with these reversible changes, and nothing else:
 *
 * - an array inside an array becomes `{ "~json": "<its JSON text>" }`, which adds no level
 *   of nesting, so a document within the declared depth always fits Firestore's;
 * - the field name "" becomes "~", and a name matching `__.*__` or starting with "~" gets
 *   one more "~" in front. No encoded user name is "~json", so the wrapper is unambiguous.
 */
const MARKER = '~';
const NESTED_ARRAY = '~json';
const RESERVED = /^__.*__$/s;

/** The Firestore field name of a JSON key. */
export function toFieldName(key: string): string {
  if (key === '') return MARKER;
  return key.startsWith(MARKER) || RESERVED.test(key) ? `${MARKER}${key}` : key;
}

/** The JSON key of a stored field name. */
export function fromFieldName(name: string): string {
  return name.startsWith(MARKER) ? name.slice(MARKER.length) : name;
}

/**
 * A JSON object as Firestore fields, encoded in place: `body` must be the adapter's own (a
 * prepared document's body, parsed for this write), and is returned. Most documents need no
 * change at all, so none is copied: a copy would cost a save as much as the parse before it.
 */
export function toFirestoreFields(body: JsonObject): Record<string, unknown> {
  return inPlace(body as Record<string, unknown>, toFieldName, encode);
}

function encode(value: unknown): unknown {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      value[i] = Array.isArray(item) ? { [NESTED_ARRAY]: JSON.stringify(item) } : encode(item);
    }
    return value;
  }
  if (typeof value === 'object' && value !== null) {
    return inPlace(value as Record<string, unknown>, toFieldName, encode);
  }
  return value;
}

/**
 * Maps an object's names and values in place. Renamed entries are taken out first and put
 * back after, so that a new name never lands on a name not yet visited (every encoded name
 * that differs starts with "~", and so does every name the encoding renames).
 */
function inPlace(
  map: Record<string, unknown>,
  rename: (name: string) => string,
  convert: (value: unknown) => unknown,
): Record<string, unknown> {
  const renamed: Array<[string, unknown]> = [];
  for (const name of Object.keys(map)) {
    const value = convert(map[name]);
    const to = rename(name);
    if (to === name) {
      if (value !== map[name]) map[name] = value;
    } else {
      delete map[name];
      renamed.push([to, value]);
    }
  }
  for (const [name, value] of renamed) define(map, name, value);
  return map;
}

/**
 * Stored fields as the caller's JSON, undoing the encoding, in place: `fields` must be the
 * adapter's own (fields a snapshot decoded for this read), and is returned. Values of types
 * JSON does not have, written by other tools, become JSON: a `Timestamp` its ISO-8601
 * string, a `GeoPoint` `{ latitude, longitude }`, a reference its path, bytes their base64
 * text, a vector its array of numbers.
 */
export function fromFirestoreFields(fields: Record<string, unknown>): JsonObject {
  return inPlace(fields, fromFieldName, decode) as JsonObject;
}

function decode(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = decode(value[i]);
    return value;
  }
  if (value instanceof Timestamp) return timestampToIso(value);
  if (value instanceof GeoPoint) return { latitude: value.latitude, longitude: value.longitude };
  if (value instanceof DocumentReference) return value.path;
  if (value instanceof VectorValue) return value.toArray();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  const wrapped = nestedArrayText(value as Record<string, unknown>);
  if (wrapped !== undefined) return JSON.parse(wrapped) as JsonValue;
  return inPlace(value as Record<string, unknown>, fromFieldName, decode);
}

function nestedArrayText(map: Record<string, unknown>): string | undefined {
  const keys = Object.keys(map);
  const text = map[NESTED_ARRAY];
  return keys.length === 1 && keys[0] === NESTED_ARRAY && typeof text === 'string'
    ? text
    : undefined;
}

/** ISO-8601 in UTC, with as many fraction digits as the timestamp needs (3, 6 or 9). */
export function timestampToIso(timestamp: Timestamp): string {
  const seconds = new Date(timestamp.seconds * 1000).toISOString().slice(0, 19);
  const nanos = String(timestamp.nanoseconds).padStart(9, '0');
  const digits = nanos.endsWith('000000') ? 3 : nanos.endsWith('000') ? 6 : 9;
  return `${seconds}.${nanos.slice(0, digits)}Z`;
}

/** Sets an own property, also for the key "__proto__" (which assignment would not). */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else target[key] = value;
}
