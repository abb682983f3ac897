import type { ErrorTarget, RetryPolicy } from '@gofannon/db-core';
import { recordRetry, UnavailableError } from '@gofannon/db-core';

/** What an attempt answers to ask for another one. */
export const RETRY: unique symbol = Symbol('retry');

/** Options of {@link retry}. */
export interface RetryOptions {
  /** The call's signal: no wait outlasts it and no attempt starts after it aborted. */
  signal: AbortSignal;
  /** The service's policy (`this.retryPolicy` in an adapter). */
  policy: Readonly<RetryPolicy>;
  /** The error when every attempt asked for another one; 503 saying so by default. */
  exhausted?: () => Error;
  /** Names the document in the default error. */
  target?: ErrorTarget;
  /** Why an attempt asks for another, for the retry events of the call's span. */
  reason?: string;
}

/**
 * Runs `attempt` (given its number, from 1) until it answers something other than
 * {@link RETRY}, waiting by the policy in between. An error thrown by an attempt ends the
 * loop at once: an attempt decides itself which failures are worth another try.
 */
export async function retry<T>(
  options: RetryOptions,
  attempt: (attempt: number) => Promise<T | typeof RETRY>,
): Promise<T> {
  const { signal, policy } = options;
  for (let n = 1; n <= policy.maxAttempts; n++) {
    if (n > 1) {
      recordRetry(n, options.reason);
      await sleep(backoffDelay(policy, n - 1), signal);
    }
    throwIfAborted(signal);
    const outcome = await attempt(n);
    if (outcome !== RETRY) return outcome;
  }
  throw (
    options.exhausted?.() ??
    new UnavailableError(
      `Gave up after ${policy.maxAttempts} attempts; the backend kept asking to try again`,
      options.target,
    )
  );
}

/** The wait before retry number `retryNumber` (1, 2, ...) under `policy`, jitter included. */
export function backoffDelay(policy: Readonly<RetryPolicy>, retryNumber: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retryNumber - 1));
  return Math.random() * ceiling;
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** `promise`'s outcome, or a rejection with the signal's reason as soon as it aborts. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Throws the signal's reason when it has aborted. */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw signal.reason;
}
