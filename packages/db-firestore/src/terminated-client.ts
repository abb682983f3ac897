import type { Firestore } from '@google-cloud/firestore';

/**
 * The Firestore client (8.x) starts some requests with `void this._clientPool.run(...)`
 * and learns their outcome another way. A retry that its own loops schedule after
 * `terminate()` (a query stream restarting after an outage, a read's next attempt) then
 * meets the terminated pool, whose refusal is a rejected promise nobody handles: an
 * unhandled rejection in the application, long after its call had its 503. This marks
 * every promise of the pool's `run` as handled; whoever awaits one still gets its outcome.
 * It touches a private member, so it does nothing when the client has none.
 */
export function handleTerminatedPoolRefusals(firestore: Firestore): void {
  const pool = (firestore as unknown as { _clientPool?: { run?: unknown } })._clientPool;
  if (typeof pool?.run !== 'function') return;
  const run = pool.run as (...args: unknown[]) => Promise<unknown>;
  pool.run = (...args: unknown[]) => {
    const outcome = run.apply(pool, args);
    outcome.catch(() => {});
    return outcome;
  };
}
