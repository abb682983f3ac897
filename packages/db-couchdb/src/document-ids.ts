/**
 * CouchDB refuses ids with a leading "_" (outside `_design/` and `_local/`), and the URL
 * parser folds the path segments "." and "..". Such ids are stored behind a "~" marker;
 * an id that starts with "~" itself gets one more, so the mapping stays one to one. Every
 * other id, the plain ones of the Python service included, is stored exactly as given.
 */
const MARKER = '~';

function needsMarker(id: string): boolean {
  return id.startsWith('_') || id.startsWith(MARKER) || id === '.' || id === '..';
}

/** The `_id` a document is stored under in CouchDB. */
export function toCouchId(id: string): string {
  return needsMarker(id) ? `${MARKER}${id}` : id;
}

/** The caller's id of a stored `_id`. */
export function fromCouchId(couchId: string): string {
  return couchId.startsWith(MARKER) ? couchId.slice(MARKER.length) : couchId;
}

/** Design documents belong to CouchDB, not to the collection. */
export function isInternalId(couchId: string): boolean {
  return couchId.startsWith('_');
}
