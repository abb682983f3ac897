/**
 * Firestore refuses some document ids: any with "/", "." and "..", those matching
 * `__.*__`, and those over 1,500 bytes. Such ids are stored as "~" followed by the
 * base64url of their UTF-8 bytes (at most 685 bytes for a 512-byte id, so never too
 * long); an id that starts with "~" itself is stored that way too, so the mapping stays one
 * to one. Every other id, the plain ones of the Python service included, is stored exactly
 * as given.
 */
const MARKER = '~';
const RESERVED = /^__.*__$/s;

function needsEncoding(id: string): boolean {
  return (
    id.startsWith(MARKER) || id.includes('/') || id === '.' || id === '..' || RESERVED.test(id)
  );
}

/** The Firestore document id a caller's id is stored under. */
export function toDocumentId(id: string): string {
  return needsEncoding(id) ? `${MARKER}${Buffer.from(id, 'utf8').toString('base64url')}` : id;
}

/**
 * The caller's id of a stored document id. A "~" id that is not one of ours (written by
 * another tool) comes back as it is.
 */
export function fromDocumentId(documentId: string): string {
  if (!documentId.startsWith(MARKER)) return documentId;
  const id = Buffer.from(documentId.slice(MARKER.length), 'base64url').toString('utf8');
  return toDocumentId(id) === documentId ? id : documentId;
}

/** Whether Firestore accepts this string as a document id (a list position must be one). */
export function isValidDocumentId(documentId: string): boolean {
  return (
    documentId.length > 0 &&
    documentId.isWellFormed() &&
    !documentId.includes('/') &&
    documentId !== '.' &&
    documentId !== '..' &&
    !RESERVED.test(documentId) &&
    Buffer.byteLength(documentId, 'utf8') <= 1500
  );
}
