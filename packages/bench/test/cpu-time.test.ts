import { describe, expect, it } from 'vitest';
import { cpuTimeMicros } from '../src/process/cpu-time';

describe("a process's CPU time from /proc", () => {
  it("grows by the CPU time this process spends, as Node's own count says", () => {
    const before = cpuTimeMicros(process.pid) as number;
    const start = process.cpuUsage();
    // Burn 100 ms of CPU time (not of the clock): ten of /proc's 10 ms ticks.
    let spent = 0;
    while (spent < 100_000) {
      const { user, system } = process.cpuUsage(start);
      spent = user + system;
    }
    const after = cpuTimeMicros(process.pid) as number;
    expect(before).toBeGreaterThan(0);
    // Ticks of 10 ms on both sides: at most one tick short at each end.
    expect(after - before).toBeGreaterThanOrEqual(spent - 20_000);
  });

  it('is undefined for a process that does not exist', () => {
    expect(cpuTimeMicros(2 ** 30)).toBeUndefined();
  });
});
