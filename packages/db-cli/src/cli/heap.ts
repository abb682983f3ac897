import { setFlagsFromString } from 'node:v8';

/** How far past the data it kept V8 may grow the heap before its next full collection. */
export const HEAP_GROWING_PERCENT = 5;

/**
 * Has V8 run a full collection once the heap grows 5% past what the last one kept.
 * By default V8 lets the heap grow to a multiple of its live data first, so the garbage
 * of a long copy piles up in proportion to whatever the process holds, and a run through
 * a memory provider, which holds every document, would peak far higher at 100,000
 * documents than at 10,000. The cost is more full collections while the live heap is
 * large; with a small one (server to server) V8's minimum step dominates and nothing
 * changes. The `gofannon-db` command sets it for its own process on start; a program that
 * calls the commands as functions decides for itself.
 */
export function limitHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
