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
 * Runs `work` with a signal that aborts once `timeoutMs` has passed or `signal` (the
 * caller's) aborts, and settles with it, or rejects with `onTimeout()` at the deadline (with
 * the signal's reason when the caller aborted) whether or not `work` has stopped by then.
 * The timer never keeps the process alive. For adapters that bound work of their own;
 * the base class already bounds every `_`-method this way.
 */
export function withDeadline<T>(
  work: (signal: AbortSignal) => Promise<T>,
  timeoutMs: number,
  onTimeout: () => Error,
  signal?: AbortSignal,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const deadline = new Promise<never>((_, reject) => {
    const stop = (reason: unknown) => {
      controller.abort(reason);
      reject(reason);
    };
    if (signal?.aborted) {
      stop(signal.reason);
      return;
    }
    timer = setTimeout(() => stop(onTimeout()), timeoutMs);
    timer.unref();
    if (signal) {
      onAbort = () => stop(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
    }
  });
  const running = controller.signal.aborted
    ? Promise.reject(controller.signal.reason)
    : Promise.resolve().then(() => work(controller.signal));
  return Promise.race([running, deadline]).finally(() => {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  });
}
