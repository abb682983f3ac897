import { readFileSync } from 'node:fs';

/** Linux counts a process's CPU time in clock ticks of 1/100 s (USER_HZ) on every architecture Node runs on. */
const MICROS_PER_TICK = 10_000;

/**
 * The CPU time a process has used so far, user and system, all its threads, in
 * microseconds, read from `/proc/<pid>/stat`; `undefined` where there is no such file (not
 * Linux, or the process is gone). Ticks of 10 ms: over a run of tens of thousands of
 * requests, a fraction of a microsecond a request.
 */
export function cpuTimeMicros(pid: number): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The fields after the command name (in parentheses, which may hold spaces): state is
  // the first of them, utime the 12th and stime the 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? ticks * MICROS_PER_TICK : undefined;
}
