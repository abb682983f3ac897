import type { DatabaseError, ErrorTarget } from './errors';
import { InternalError, isDatabaseError, UnavailableError } from './errors';

/** Error codes of Node.js sockets, DNS and undici that mean "the server cannot be reached". */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/**
 * True when an error (or any error in its `cause` chain, or inside an AggregateError)
 * says the backend could not be reached over the network.
 */
export function isUnreachableError(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
  if (Array.isArray(errors) && errors.some((inner) => isUnreachableError(inner, depth + 1)))
    return true;
  return isUnreachableError(cause, depth + 1);
}

/**
 * Turns anything thrown by a backend call into a {@link DatabaseError}: database errors
 * pass through, unreachable-network errors become 503, everything else 500 with `cause`.
 */
export function toDatabaseError(
  error: unknown,
  target: ErrorTarget,
  provider: string,
): DatabaseError {
  if (isDatabaseError(error)) return error;
  if (isUnreachableError(error)) {
    return new UnavailableError(`The ${provider} backend cannot be reached`, {
      ...target,
      cause: error,
    });
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new InternalError(`Unexpected ${provider} error: ${detail}`, { ...target, cause: error });
}

/**
 * Settles with `work`, or rejects with 503 once `timeoutMs` has passed. The timer never
 * keeps the process alive.
 */
export function withDeadline<T>(
  work: Promise<T>,
  timeoutMs: number,
  onTimeout: () => Error,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), timeoutMs);
    timer.unref();
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
