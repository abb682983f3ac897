import { setFlagsFromString } from 'node:v8';

/** How far past the data it kept V8 may grow the heap before its next full collection. */
export const HEAP_GROWING_PERCENT = 5;

/**
 * Has V8 run a full collection once the heap grows 5% past what the last one kept. By
 * default V8 lets the heap grow to a multiple of its live data first, and raises that
 * multiple while collections are cheap, so the garbage of a long copy's finished batches
 * piles up: a migration to PostgreSQL peaked about twice as high at 100,000 documents as at
 * 10,000 without it, and the same at both with it (`pnpm bench --migrate`), for about 10%
 * fewer documents per second. The `gofannon-db` command sets it for its own process on
 * start; a program that calls the commands as functions decides for itself.
 */
export function limitHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
