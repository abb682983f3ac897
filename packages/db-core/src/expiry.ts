import type { StoredDocument } from './types';

/** The service's clock: epoch milliseconds now. `Date.now` unless a test injects one. */
export type Clock = () => number;

/** Whether `doc` has expired by `now` (epoch ms): from its `_expiresAt` instant on. */
export function isExpired(doc: StoredDocument, now: number): boolean {
  const at = doc._expiresAt;
  return at !== undefined && Date.parse(at) <= now;
}
