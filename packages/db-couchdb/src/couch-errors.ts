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
 * How the server broke a connection before its answer arrived: `'sending'` while the request
 * body was still being sent, `'answering'` after it, or undefined for any other failure
 * (refused, timed out). CouchDB breaks it while sending when it answers before reading the
 * body (a write into a missing database, a request over `max_http_request_size`) and then
 * closes; a proxy in between, or a server that went away, shows up as `'answering'`. nano
 * keeps only the text of the socket error.
 */
export function brokenConnection(error: unknown): 'sending' | 'answering' | undefined {
  const message = (error as CouchHttpError | null)?.message;
  if (typeof message !== 'string' || !message.startsWith(CONNECTION_FAILURE)) return undefined;
  if (/\bwrite (ECONNRESET|EPIPE)\b/.test(message)) return 'sending';
  if (/\bread ECONNRESET\b|other side closed|socket hang up/.test(message)) return 'answering';
  return undefined;
}

/** A refusal worked out by the adapter, in the shape of a CouchDB answer, for the mapping below. */
export class CouchRefusal extends Error implements CouchHttpError {
  constructor(
    readonly statusCode: number,
    readonly error: string,
    readonly reason: string,
  ) {
    super(`CouchDB refused the request: ${reason}`);
  }
}

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
