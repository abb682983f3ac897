import { describe, expect, it } from 'vitest';
import { runBenchCommand } from '../src/bench-command';
import { parseCliOptions } from '../src/cli-options';

describe('pnpm bench --dynamodb-scans', () => {
  it('reads every document both ways on DynamoDB Local and reports the speed-up', async () => {
    const printed: string[] = [];
    const { scans, exitCode } = await runBenchCommand(
      ['--dynamodb-scans', '2500'],
      process.env,
      (line) => printed.push(line),
    );
    expect(exitCode).toBe(0);
    expect(scans?.documents).toBe(2500);
    expect(scans?.sequentialMs).toBeGreaterThan(0);
    expect(scans?.parallelMs).toBeGreaterThan(0);
    expect(scans?.speedup).toBeCloseTo((scans?.sequentialMs ?? 0) / (scans?.parallelMs ?? 1));
    const text = printed.join('\n');
    expect(text).toMatch(/listAll of 2,500 docs, 1 segment\(s\): [\d.]+ s, \d+ requests/);
    expect(text).toMatch(/listAll of 2,500 docs, 4 segment\(s\): [\d.]+ s, \d+ requests/);
    expect(text).toMatch(/speed-up: [\d.]+x/);
  }, 180_000);

  it('needs more documents than one page of a small table', () => {
    expect(parseCliOptions(['--dynamodb-scans', '100000'], {}).dynamodbScans).toBe(100_000);
    expect(() => parseCliOptions(['--dynamodb-scans', '1000'], {})).toThrow(/--dynamodb-scans/);
  });
});
