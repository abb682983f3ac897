/** Waits before retry number `attempt` (1, 2, ...): exponential from 25 ms up to 1 s, with full jitter. */
export function backoff(attempt: number): Promise<void> {
  const ceiling = Math.min(1_000, 25 * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}
