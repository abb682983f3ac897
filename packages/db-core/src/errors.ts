/** The stable error codes of the API, one per HTTP status used. */
export type ErrorCode =
  | 'not_found'
  | 'conflict'
  | 'invalid'
  | 'index_required'
  | 'too_large'
  | 'unavailable'
  | 'internal';

/** Where an error happened, when it concerns one collection or document. */
export interface ErrorTarget {
  collection?: string;
  id?: string;
}

interface DatabaseErrorOptions extends ErrorTarget {
  cause?: unknown;
}

const BRAND = Symbol.for('@gofannon/db-core/DatabaseError');

/**
 * The one error type every adapter rejects with. `status` is the HTTP status to answer
 * with and `code` the stable machine-readable reason; the message is for people and
 * never contains secrets.
 */
export class DatabaseError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly collection?: string;
  readonly id?: string;

  constructor(
    status: number,
    code: ErrorCode,
    message: string,
    options: DatabaseErrorOptions = {},
  ) {
    super(
      redactSecrets(message),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    if (options.collection !== undefined) this.collection = options.collection;
    if (options.id !== undefined) this.id = options.id;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** The error as a JSON-safe object for API responses (no cause, no stack). */
  toJSON(): Record<string, unknown> {
    const { code, status, message, collection, id } = this;
    return { code, status, message, collection, id };
  }
}

/** 404: the document does not exist. */
export class NotFoundError extends DatabaseError {
  constructor(message: string, options?: DatabaseErrorOptions) {
    super(404, 'not_found', message, options);
  }
}

/** 409: a revision precondition failed, or a create-only save found a document. */
export class ConflictError extends DatabaseError {
  constructor(message: string, options?: DatabaseErrorOptions) {
    super(409, 'conflict', message, options);
  }
}

/** 400: bad input; `path` is a JSON Pointer to the offending value when there is one. */
export class ValidationError extends DatabaseError {
  readonly path?: string;

  constructor(message: string, options: DatabaseErrorOptions & { path?: string } = {}) {
    super(400, 'invalid', message, options);
    if (options.path !== undefined) this.path = options.path;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), path: this.path };
  }
}

/**
 * 400 with its own code: a query asked for `requireIndex` and no index made by
 * `ensureIndex` serves it. The message names the fields such an index needs.
 */
export class IndexRequiredError extends DatabaseError {
  constructor(message: string, options?: DatabaseErrorOptions) {
    super(400, 'index_required', message, options);
  }
}

/** 413: the document is larger than `capabilities.maxDocumentBytes`. */
export class TooLargeError extends DatabaseError {
  constructor(message: string, options?: DatabaseErrorOptions) {
    super(413, 'too_large', message, options);
  }
}

/** 503: the backend cannot be reached, timed out, or the service was closed. */
export class UnavailableError extends DatabaseError {
  constructor(message: string, options?: DatabaseErrorOptions) {
    super(503, 'unavailable', message, options);
  }
}

/** 500: anything unexpected; `cause` holds the original error. */
export class InternalError extends DatabaseError {
  constructor(message: string, options?: DatabaseErrorOptions) {
    super(500, 'internal', message, options);
  }
}

/**
 * True for any {@link DatabaseError}, also one made by another copy of this package
 * (an ESM and a CJS copy loaded side by side, say), where `instanceof` fails.
 */
export function isDatabaseError(value: unknown): value is DatabaseError {
  return typeof value === 'object' && value !== null && BRAND in value;
}

const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]*(?::[^/\s@]*)?@/gi;
const SECRET_ASSIGNMENTS =
  /\b(password|passwd|secret|token|api[_-]?key|access[_-]?key|authorization)(["']?\s*[:=]\s*["']?)[^\s"',;&]+/gi;

/** Removes credentials in URLs and `password=...`-style secrets from a text. */
export function redactSecrets(text: string): string {
  return text.replace(URL_CREDENTIALS, '$1***@').replace(SECRET_ASSIGNMENTS, '$1$2***');
}
