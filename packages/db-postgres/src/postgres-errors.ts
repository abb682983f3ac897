import {
  ConflictError,
  type DatabaseError,
  type ErrorTarget,
  TooLargeError,
  UnavailableError,
  ValidationError,
} from '@gofannon/db-core';

/** SQLSTATE of a server error, when the error came from PostgreSQL. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** The table does not exist (yet). */
export const UNDEFINED_TABLE = '42P01';
/** A column the statement names is missing: a table made by an earlier version. */
export const UNDEFINED_COLUMN = '42703';
/** SQLSTATE of a duplicate key. */
export const UNIQUE_VIOLATION = '23505';

/** Messages of pg itself (not the server) that mean the connection is gone or too slow. */
const CONNECTION_LOST =
  /Connection terminated|Query read timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended/i;

/**
 * Maps what pg throws to the contract's errors. Messages come from PostgreSQL's error
 * text, which never holds the connection string or password.
 */
export function translatePostgresError(
  error: unknown,
  target: ErrorTarget,
): DatabaseError | undefined {
  const options = { ...target, cause: error };
  const state = sqlState(error);
  const message = (error as { message?: unknown } | null)?.message;
  const detail = `PostgreSQL: ${typeof message === 'string' ? message : String(error)}`;
  if (state === undefined) {
    return typeof message === 'string' && CONNECTION_LOST.test(message)
      ? new UnavailableError('PostgreSQL cannot be reached or did not answer in time', options)
      : undefined;
  }
  // Connection exceptions, shutdown, too many connections, statement timeout, lock timeout.
  if (/^(08|57P|53)/.test(state) || state === '57014' || state === '55P03') {
    return new UnavailableError(detail, options);
  }
  // Authentication and authorisation: the configuration, not the request, is wrong.
  if (state.startsWith('28') || state === '42501') {
    return new UnavailableError(`${detail} (check POSTGRES_URL and the user's rights)`, options);
  }
  if (state === '40001' || state === '40P01' || state === '23505')
    return new ConflictError(detail, options);
  if (state === '54000') return new TooLargeError(detail, options);
  if (state.startsWith('22')) return new ValidationError(detail, options);
  return undefined;
}
