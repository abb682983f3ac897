import { randomFillSync } from 'node:crypto';

/** Revision tokens are cut from this many random bytes drawn at once. */
const POOL_TOKENS = 512;
const pools = new Map<number, { bytes: Buffer; used: number }>();

/**
 * `bytes` random bytes as hex digits: the random part of a new revision. Twelve bytes (96
 * bits, the default) never repeat for one id in practice, across delete and re-create too.
 * Cut from a pooled buffer, one system call per 512 tokens: one call per write would cost
 * more than an in-process write itself.
 */
export function revisionToken(bytes = 12): string {
  let pool = pools.get(bytes);
  if (!pool) {
    pool = { bytes: Buffer.alloc(bytes * POOL_TOKENS), used: POOL_TOKENS };
    pools.set(bytes, pool);
  }
  if (pool.used === POOL_TOKENS) {
    randomFillSync(pool.bytes);
    pool.used = 0;
  }
  const start = pool.used++ * bytes;
  return pool.bytes.toString('hex', start, start + bytes);
}

/**
 * A new revision after `previous` (none for a new document): `<generation>-<token>`, the
 * generation counting the document's writes as CouchDB's revisions do.
 */
export function nextRevision(previous?: string | null, bytes = 12): string {
  const generation = previous ? Number.parseInt(previous, 10) : 0;
  return `${Number.isSafeInteger(generation) && generation > 0 ? generation + 1 : 1}-${revisionToken(bytes)}`;
}
