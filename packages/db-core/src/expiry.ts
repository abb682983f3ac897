/** The service's clock: epoch milliseconds now. `Date.now` unless a test injects one. */
export type Clock = () => number;

/**
 * Whether a document (stored, or as read from an export file) has expired by `now` (epoch
 * ms): from its `_expiresAt` instant on.
 */
export function isExpired(doc: { readonly _expiresAt?: unknown }, now: number): boolean {
  const at = doc._expiresAt;
  return typeof at === 'string' && Date.parse(at) <= now;
}
