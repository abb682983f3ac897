import { performance } from 'node:perf_hooks';

/** Reads one page from a cursor (`null`: the first) and answers the next cursor. */
export type PageReader = (cursor: string | null) => Promise<string | null>;

/**
 * Reads up to `pages` pages one after another and answers the milliseconds of each call,
 * the time spent inside the reads only.
 */
export async function timedWalk(read: PageReader, pages: number): Promise<number[]> {
  const times: number[] = [];
  let cursor: string | null = null;
  do {
    const start = performance.now();
    cursor = await read(cursor);
    times.push(performance.now() - start);
  } while (cursor !== null && times.length < pages);
  return times;
}

/** The mean per page of each walk, and of the median walk. */
export function perPage(walks: number[][]): { msPerPage: number; walkMsPerPage: number[] } {
  const walkMsPerPage = walks.map((times) => sum(times) / times.length);
  const sorted = [...walkMsPerPage].sort((a, b) => a - b);
  return { msPerPage: sorted[Math.floor((sorted.length - 1) / 2)] as number, walkMsPerPage };
}

/**
 * The median over rounds of `a`'s time per page over `b`'s, each pair from one round in
 * which both walked one after the other: drift on a shared machine (other work starting
 * or stopping) moves both of a pair alike, and the median drops rounds one pause spoiled.
 */
export function pairedRatio(a: number[][], b: number[][]): number {
  const ratios = a
    .map((times, i) => sum(times) / times.length / perPage([b[i] ?? []]).msPerPage)
    .sort((x, y) => x - y);
  return ratios[Math.floor((ratios.length - 1) / 2)] as number;
}

export function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
