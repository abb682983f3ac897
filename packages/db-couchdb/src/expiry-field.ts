import type { PreparedDocument } from '@gofannon/db-core';

/**
 * Where a document's expiry is stored: CouchDB refuses top-level names starting with `_`,
 * so core's `_expiresAt` (an ISO string) is stored as this field, in epoch milliseconds (a
 * number the purge view emits as it is, in numeric order, whatever the year). The `~`
 * follows the id encoding's marker (`document-ids.ts`). A caller's own top-level field of
 * this name, or of it behind more `~`s, is stored with one `~` more, so the mapping is one
 * to one; a field of this name that holds no number is not an expiry.
 */
export const EXPIRY_FIELD = '~expiresAt';

/** The span of a JavaScript `Date`: core accepts no expiry outside it. */
const MAX_EPOCH_MS = 8.64e15;

/** `~expiresAt`, `~~expiresAt`, ...: the names the escaping above touches. */
const MARKED_NAME = /^~+expiresAt$/;

/** Where a caller's top-level field `name` is stored. */
export function storedFieldName(name: string): string {
  return MARKED_NAME.test(name) ? `~${name}` : name;
}

/**
 * The JSON text CouchDB stores for a body core prepared: `_expiresAt`, which core puts
 * last, becomes {@link EXPIRY_FIELD} in epoch milliseconds. Only a body that mentions the
 * name at all is parsed (to escape a field of the caller's); every other one is edited as
 * text.
 */
export function toCouchJson(doc: PreparedDocument): string {
  const { expiresAt } = doc;
  let json = doc.json;
  if (expiresAt !== undefined) {
    const at = json.lastIndexOf('"_expiresAt":');
    json = at === 1 ? '{}' : `${json.slice(0, at - 1)}}`;
  }
  if (json.includes('expiresAt"')) json = escapedJson(json);
  if (expiresAt === undefined) return json;
  const field = `${JSON.stringify(EXPIRY_FIELD)}:${expiresAt}`;
  return json === '{}' ? `{${field}}` : `${json.slice(0, -1)},${field}}`;
}

/** The body with each of the caller's top-level fields named like the expiry field escaped. */
function escapedJson(json: string): string {
  const body = JSON.parse(json) as Record<string, unknown>;
  if (!Object.keys(body).some((name) => MARKED_NAME.test(name))) return json;
  const escaped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) escaped[storedFieldName(name)] = value;
  return JSON.stringify(escaped);
}

/**
 * Turns a stored body back into the caller's, in place: {@link EXPIRY_FIELD} becomes
 * `_expiresAt` (ISO), escaped names lose one `~`. Answers the expiry in epoch ms, or
 * `undefined`. The common body, with no name starting with `~`, is only looked at.
 */
export function restoreExpiry(body: Record<string, unknown>): number | undefined {
  let expiresAt: number | undefined;
  const escaped: string[] = [];
  for (const name of Object.keys(body)) {
    if (name.charCodeAt(0) !== 126 /* ~ */ || !MARKED_NAME.test(name)) continue;
    if (name === EXPIRY_FIELD) {
      const value = body[name];
      if (!isStoredExpiry(value)) continue;
      expiresAt = value;
      delete body[name];
    } else escaped.push(name);
  }
  // All read before any is written: `~~~expiresAt` becomes the `~~expiresAt` that is
  // itself renamed.
  const values = escaped.map((name) => body[name]);
  for (const name of escaped) delete body[name];
  escaped.forEach((name, i) => {
    body[name.slice(1)] = values[i];
  });
  if (expiresAt !== undefined) body._expiresAt = new Date(expiresAt).toISOString();
  return expiresAt;
}

/** The expiry (epoch ms) of a document as CouchDB stores it, without changing it. */
export function storedExpiry(doc: Record<string, unknown>): number | undefined {
  const value = doc[EXPIRY_FIELD];
  return isStoredExpiry(value) ? value : undefined;
}

/** Only a number a `Date` can hold is an expiry the adapter wrote. */
function isStoredExpiry(value: unknown): value is number {
  return typeof value === 'number' && Math.abs(value) <= MAX_EPOCH_MS;
}
