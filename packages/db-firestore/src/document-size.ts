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
