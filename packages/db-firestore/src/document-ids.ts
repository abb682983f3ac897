/**
 * Firestore refuses some document ids: any with "/", "." and "..", and those matching
 * `__.*__`. Such ids are stored escaped, in a way that keeps Firestore's order of stored
 * ids (UTF-8 bytes, which is code-point order) the order of the caller's ids, so that
 * queries can walk `_id` order and break ties by id on Firestore itself:
 *
 * - "." is stored as ".!" and "/" as ".~": a "." stands where both were, and ".!" < ".~"
 *   as "." < "/", with no character between "." and "/";
 * - an id starting with "_" or "`" gets a "`" in front: "`_" < "``" as "_" < "`", with
 *   no character between them, and no stored id starts with "__".
 *
 * Plain ids (letters, digits, "-", and "_" not leading), the Python service's included,
 * have none of these and are stored exactly as given. An id of 512 bytes takes at most
 * 1,025 bytes stored, below Firestore's 1,500.
 */
const DOT = '.';
const STORED_DOT = '.!';
const STORED_SLASH = '.~';
const LEADING = '`';
const RESERVED = /^__.*__$/s;

/** The Firestore document id a caller's id is stored under. */
export function toDocumentId(id: string): string {
  const escaped = id.replace(/[./]/g, (c) => (c === DOT ? STORED_DOT : STORED_SLASH));
  return escaped.startsWith('_') || escaped.startsWith(LEADING) ? `${LEADING}${escaped}` : escaped;
}

/**
 * The caller's id of a stored document id. A stored id that is not one of the adapter's
 * (written by another tool: "a.b", say) comes back as it is.
 */
export function fromDocumentId(documentId: string): string {
  let body = documentId;
  if (body.startsWith(LEADING)) body = body.slice(LEADING.length);
  let id = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c !== DOT) id += c;
    else {
      const pair = body.slice(i, i + 2);
      if (pair !== STORED_DOT && pair !== STORED_SLASH) return documentId;
      id += pair === STORED_DOT ? '.' : '/';
      i++;
    }
  }
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
