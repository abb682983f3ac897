import { Timestamp } from '@google-cloud/firestore';

/**
 * Firestore's own measure of a document (its documented storage size rules): a string
 * counts its UTF-8 bytes plus one, a number 8, a boolean or null 1, a map its field names
 * (bytes plus one) and values, an array its values; the document adds its name and 32.
 */
export const FIRESTORE_MAX_DOCUMENT_BYTES = 1024 * 1024;

/** Storage size of a stored document: its name (collection and id) and its fields. */
export function documentSize(collectionId: string, documentId: string, fields: object): number {
  const name = stringSize(collectionId) + stringSize(documentId) + 16;
  return name + mapSize(fields) + 32;
}

/** Room for the adapter's own fields (the write tag, the expiry's two forms), generously. */
const OWN_FIELDS_BYTES = 256;

/**
 * Whether a document of `jsonBytes` bytes of JSON could be over Firestore's limit, so that
 * only such a document is counted with {@link documentSize}. Firestore counts at most 8
 * bytes for each byte of JSON text: a number costs 8 for at least one character, a string
 * its UTF-8 bytes plus one for at least two quotes, a field name the same, true, false and
 * null 1 for 4 or 5, and the adapter's encodings (see `field-values.ts`) add fewer bytes
 * than the JSON they replace spends. Every document under about 128 KiB of JSON fits.
 */
export function mayBeTooLarge(
  jsonBytes: number,
  collectionId: string,
  documentId: string,
): boolean {
  const name = stringSize(collectionId) + stringSize(documentId) + 16 + 32;
  return jsonBytes * 8 + name + OWN_FIELDS_BYTES > FIRESTORE_MAX_DOCUMENT_BYTES;
}

function stringSize(text: string): number {
  return Buffer.byteLength(text, 'utf8') + 1;
}

function mapSize(map: object): number {
  let size = 0;
  for (const [name, value] of Object.entries(map)) size += stringSize(name) + valueSize(value);
  return size;
}

function valueSize(value: unknown): number {
  if (typeof value === 'string') return stringSize(value);
  if (value instanceof Timestamp) return 8;
  if (typeof value === 'number') return 8;
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + valueSize(item), 0);
  if (typeof value === 'object' && value !== null) return mapSize(value);
  return 1;
}
