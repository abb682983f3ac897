import { EXPIRY_FIELD } from './expiry-field';

/**
 * The design document of the purge's view, one per database. The version in its name is
 * bumped whenever the map function changes, so every process that makes it makes the same
 * one (a second PUT is CouchDB's 409, and done). Its id starts with `_`, so listings, find
 * and export never show it, and CouchDB runs no map function on design documents.
 */
export const EXPIRY_DESIGN_ID = '_design/gofannon-expiry.v1';

/** The view inside it. */
export const EXPIRY_VIEW = 'expired';

/** The URL path of the view, below the database. */
export const EXPIRY_VIEW_PATH = `_design/${encodeURIComponent(EXPIRY_DESIGN_ID.slice('_design/'.length))}/_view/${EXPIRY_VIEW}`;

/** The URL path of the design document, below the database. */
export const EXPIRY_DESIGN_PATH = `_design/${encodeURIComponent(EXPIRY_DESIGN_ID.slice('_design/'.length))}`;

/**
 * The view: key the expiry in epoch ms, value the revision that carries it, for each
 * document that expires (the others emit nothing, so the view holds only what a purge may
 * delete one day). A purge reads the keys up to now and deletes each document at the
 * revision the row names: one saved again since is a conflict, and stays.
 */
export function expiryDesignDocument(): Record<string, unknown> {
  return {
    _id: EXPIRY_DESIGN_ID,
    language: 'javascript',
    views: {
      [EXPIRY_VIEW]: {
        map: `function (doc) {
  var at = doc[${JSON.stringify(EXPIRY_FIELD)}];
  if (typeof at === 'number') emit(at, doc._rev);
}`,
      },
    },
  };
}

/** A row of the view. */
export interface ExpiryRow {
  id: string;
  key: number;
  value: string;
}

/**
 * The body of one view read: up to `limit` documents expired by `now`, from the row
 * `after` on (keyset paging: the key and document id where the last batch ended). That
 * row is usually gone, deleted by the batch; the caller drops it if it is still there.
 */
export function expiredBatchQuery(
  now: number,
  limit: number,
  after: ExpiryRow | undefined,
): Record<string, unknown> {
  const query: Record<string, unknown> = { endkey: now, limit };
  if (after !== undefined) {
    query.startkey = after.key;
    query.startkey_docid = after.id;
  }
  return query;
}
