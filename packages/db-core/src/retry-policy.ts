import { ValidationError } from './errors';

/**
 * How a backend call is tried again: the one policy of every adapter, configurable per
 * service (`ServiceOptions.retry`). The wait before retry `n` (1, 2, ...) is a random time
 * up to `min(maxDelayMs, baseDelayMs * 2 ** (n - 1))` ("full jitter"), so writers that lost
 * the same race do not collide again in lockstep. Every wait ends early when the call's
 * signal aborts, and no attempt starts after that.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included (default 50). The call's deadline usually ends it first. */
  maxAttempts: number;
  /** Ceiling of the first wait, in milliseconds (default 4). */
  baseDelayMs: number;
  /** Largest ceiling of any wait, in milliseconds (default 250). */
  maxDelayMs: number;
}

/** The policy a service uses when its options give none. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 50,
  baseDelayMs: 4,
  maxDelayMs: 250,
});

/** Checks and completes a partial policy from the service options. */
export function resolveRetryPolicy(partial: Partial<RetryPolicy> | undefined): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...partial };
  const problems: string[] = [];
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1)
    problems.push(`maxAttempts must be a whole number of at least 1`);
  for (const key of ['baseDelayMs', 'maxDelayMs'] as const) {
    if (!Number.isFinite(policy[key]) || policy[key] < 0)
      problems.push(`${key} must be a number of milliseconds, 0 or more`);
  }
  if (problems.length > 0) throw new ValidationError(`Bad retry policy: ${problems.join('; ')}`);
  return policy;
}
