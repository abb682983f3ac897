import {
  ConflictError,
  type DatabaseError,
  type ErrorTarget,
  InternalError,
  NotFoundError,
  TooLargeError,
  UnavailableError,
  ValidationError,
} from '@gofannon/db-core';

/** The fields nano puts on an error for a CouchDB answer other than 2xx. */
export interface CouchHttpError {
  statusCode?: number;
  error?: string;
  reason?: string;
  message?: string;
}

/** The status of a CouchDB answer carried by a nano error, if it is one. */
export function couchStatus(error: unknown): number | undefined {
  const status = (error as CouchHttpError | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** nano reports every failure before an HTTP answer (refused, reset, aborted) this way. */
const CONNECTION_FAILURE = 'error happened in your connection';

/**
 * Maps what nano throws to the contract's errors. Messages are built from CouchDB's
 * `error` and `reason` fields only, never from URLs or headers.
 */
export function translateCouchError(
  error: unknown,
  target: ErrorTarget,
): DatabaseError | undefined {
  const status = couchStatus(error);
  const options = { ...target, cause: error };
  if (status === undefined) {
    const message = (error as CouchHttpError | null)?.message;
    if (typeof message === 'string' && message.startsWith(CONNECTION_FAILURE)) {
      return new UnavailableError('CouchDB cannot be reached', options);
    }
    return undefined;
  }
  const { error: code, reason } = error as CouchHttpError;
  const detail = `CouchDB answered ${status}${code ? ` ${code}` : ''}${reason ? `: ${reason}` : ''}`;
  if (status === 401 || status === 403) {
    return new UnavailableError(
      `${detail} (check COUCHDB_USER and COUCHDB_PASSWORD and the user's rights)`,
      options,
    );
  }
  if (status === 400) return new ValidationError(detail, options);
  if (status === 404) return new NotFoundError(detail, options);
  if (status === 409 || status === 412) return new ConflictError(detail, options);
  if (status === 413) return new TooLargeError(detail, options);
  if (status === 502 || status === 503 || status === 504 || status === 429) {
    return new UnavailableError(detail, options);
  }
  return new InternalError(detail, options);
}
