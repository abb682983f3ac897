import type { TargetStats } from '../results';

/** Collects per-call latencies, the wall time of the timed loops and, if counted, requests. */
export class LatencyRecorder {
  readonly #samplesMs: number[] = [];
  #elapsedMs = 0;
  #requests: number | undefined;

  record(latencyMs: number): void {
    this.#samplesMs.push(latencyMs);
  }

  addElapsed(elapsedMs: number): void {
    this.#elapsedMs += elapsedMs;
  }

  /** Requests seen on the wire while the recorded calls ran. */
  addRequests(requests: number): void {
    this.#requests = (this.#requests ?? 0) + requests;
  }

  summarize(): TargetStats {
    const sorted = Float64Array.from(this.#samplesMs).sort();
    const stats: TargetStats = {
      calls: sorted.length,
      opsPerSec: this.#elapsedMs > 0 ? (sorted.length * 1000) / this.#elapsedMs : 0,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
    };
    if (this.#requests !== undefined && sorted.length > 0) {
      stats.requestsPerCall = this.#requests / sorted.length;
    }
    return stats;
  }
}

/** Nearest-rank percentile of ascending samples; 0 when there are none. */
export function percentile(sortedAscending: Float64Array, rank: number): number {
  if (sortedAscending.length === 0) return 0;
  const index = Math.ceil((rank / 100) * sortedAscending.length) - 1;
  return sortedAscending[Math.min(Math.max(index, 0), sortedAscending.length - 1)] as number;
}

/** The item with the median `key` (the upper one of an even count). */
export function medianBy<T>(items: readonly T[], key: (item: T) => number): T {
  const sorted = [...items].sort((a, b) => key(a) - key(b));
  const median = sorted[Math.floor(sorted.length / 2)];
  if (median === undefined) throw new Error('A median needs at least one item');
  return median;
}

/**
 * Adapter throughput over baseline throughput from pairs of slices of the same calls, one
 * timed on each side: the median of the pairs' ratios, so a slice that lost time to
 * another process or a full GC moves its own pair, not the result.
 */
export function pairedThroughputRatio(
  pairs: ReadonlyArray<{ adapterMs: number; baselineMs: number }>,
): number {
  if (pairs.length === 0) return 0;
  const ratios = pairs.map(({ adapterMs, baselineMs }) =>
    adapterMs > 0 ? baselineMs / adapterMs : 1,
  );
  return medianBy(ratios, (ratio) => ratio);
}
