import { metrics, ProxyTracer, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { parseCliOptions } from '../src/cli-options';
import { formatTelemetryReport, runTelemetryBench } from '../src/telemetry/run-telemetry-bench';

describe('pnpm bench --telemetry', () => {
  it('times get and save with no SDK and with one that records every call', async () => {
    const report = await runTelemetryBench({ callsPerSlice: 50, slices: 3 }, () => {});
    expect(report.results.map((result) => result.operation)).toEqual(['get', 'save']);
    for (const result of report.results) {
      expect(result.offNsPerCall).toBeGreaterThan(0);
      expect(result.onNsPerCall).toBeGreaterThan(0);
      expect(Number.isFinite(result.overheadNsPerCall)).toBe(true);
    }
    // One span per call of every measured "on" slice (the warm-up's are not counted).
    expect(report.spansRecorded).toBe(2 * 3 * 50);
    // And nothing stays registered after the run.
    expect(trace.getTracer('after')).toBeInstanceOf(ProxyTracer);
    expect(metrics.getMeterProvider().constructor.name).toBe('NoopMeterProvider');
    expect(formatTelemetryReport(report)).toMatch(/^get +\d+ +\d+ +-?\d+$/m);
  });

  it('is chosen by --telemetry', () => {
    expect(parseCliOptions(['--telemetry'], {}).telemetry).toEqual({
      callsPerSlice: 2_000,
      slices: 32,
    });
    expect(parseCliOptions([], {}).telemetry).toBeUndefined();
  });
});
