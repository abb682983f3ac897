import type { SortDirection } from '@gofannon/db-core';
import { isValidDocumentId, toDocumentId } from '../document-ids';

/**
 * Where the adapter's encoded ids sit in Firestore's order. Firestore orders document ids
 * by their UTF-8 bytes, which is the contract's code-point order, but an id Firestore
 * forbids (`a/b`, `.`, `__x__`, one starting with `~`) is stored as `~` + base64url, and
 * that puts it among the ids starting with `~`, away from its own place. Every stored id
 * starting with `~` is in the block from `~` up to (not including) U+007F, and no other
 * id is: the documents of that block are read apart and put in their places by core's
 * order (see `find-page.ts`). All other ids are in the contract's order already.
 */
export const ENCODED_BLOCK_START = '~';
export const ENCODED_BLOCK_END = '\u007f';

/** Whether a stored document id is in the block of encoded ids (see above). */
export function inEncodedBlock(documentId: string): boolean {
  return documentId.startsWith(ENCODED_BLOCK_START);
}

/** A place to start or stop reading document ids: `exact` when it is the id itself. */
export interface IdBound {
  documentId: string;
  exact: boolean;
}

/**
 * A document id a Firestore cursor can name, next to the caller's `id` on the side the
 * walk comes from: at or before it for an ascending walk, at or after it for a descending
 * one. A plain id is its own bound. For an id Firestore can't take, the bound is close
 * (few ids lie between), and the documents between are read and dropped by core's
 * `isAfter`. `undefined` when there is no such bound: the walk starts at the sort value.
 */
export function idBound(id: string, direction: SortDirection): IdBound | undefined {
  if (toDocumentId(id) === id) return { documentId: id, exact: true };
  const slash = id.indexOf('/');
  const stem = slash === -1 ? id : id.slice(0, slash);
  if (direction === 'desc') {
    // The stem and a character above "/": above every id that has the stem and a "/" next.
    const above = `${stem}0`;
    return isValidDocumentId(above) ? { documentId: above, exact: false } : undefined;
  }
  // The longest beginning of the id that Firestore takes: below the id.
  let below = [...stem];
  while (below.length > 0 && !isValidDocumentId(below.join(''))) below = below.slice(0, -1);
  return below.length > 0 ? { documentId: below.join(''), exact: false } : undefined;
}
