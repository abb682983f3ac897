import { processStatFields } from '@gofannon/test-support';

/** Linux counts a process's CPU time in clock ticks of 1/100 s (USER_HZ) on every architecture Node runs on. */
const MICROS_PER_TICK = 10_000;

/**
 * The CPU time a process has used so far, user and system, all its threads, in
 * microseconds, read from `/proc/<pid>/stat`; `undefined` where there is no such file (not
 * Linux, or the process is gone). Ticks of 10 ms: over a run of tens of thousands of
 * requests, a fraction of a microsecond a request.
 */
export function cpuTimeMicros(pid: number): number | undefined {
  const fields = processStatFields(pid);
  if (fields === undefined) return undefined;
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? ticks * MICROS_PER_TICK : undefined;
}
