import { MemoryDatabaseService } from '@gofannon/db-memory';
import { describeMachine } from '../report/machine';
import { medianBy } from '../runner/stats';
import { registerNoopSdk } from './sdk';

/** Settings of `pnpm bench --telemetry`. */
export interface TelemetryBenchSettings {
  /** Calls of each operation per slice. */
  callsPerSlice: number;
  /** Slices per mode, alternating between modes. */
  slices: number;
}

export interface TelemetryOperationResult {
  operation: 'get' | 'save';
  /** Median nanoseconds per call with `@opentelemetry/api` loaded and no SDK registered. */
  offNsPerCall: number;
  /** The same with an SDK registered (spans and metrics recorded, exported nowhere). */
  onNsPerCall: number;
  /** What recording adds to each call, in nanoseconds: the median of the slice pairs. */
  overheadNsPerCall: number;
}

export interface TelemetryBenchReport {
  startedAt: string;
  settings: TelemetryBenchSettings;
  machine: unknown;
  results: TelemetryOperationResult[];
  /** Spans the SDK recorded during the "on" slices: proof that it was recording. */
  spansRecorded: number;
}

/**
 * What OpenTelemetry costs the memory adapter's `get` and `save`: slices of calls with no
 * SDK registered and with one registered (a dropping span exporter, a meter reader that is
 * never collected), alternating, so drift lands on both. The memory adapter is the
 * harshest case: its calls are the shortest, so the same cost is the largest share.
 */
export async function runTelemetryBench(
  settings: TelemetryBenchSettings,
  print: (line: string) => void,
): Promise<TelemetryBenchReport> {
  const startedAt = new Date().toISOString();
  const service = new MemoryDatabaseService();
  const ids = Array.from({ length: 1000 }, (_, i) => `doc-${i}`);
  const doc = { name: 'telemetry bench', tags: ['a', 'b'], count: 1 };
  for (const id of ids) await service.save('bench', id, doc);
  const calls = {
    get: (i: number) => service.get('bench', ids[i % ids.length] as string),
    save: (i: number) => service.save('bench', ids[i % ids.length] as string, doc),
  };
  const slice = async (call: (i: number) => Promise<unknown>) => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < settings.callsPerSlice; i++) await call(i);
    return Number(process.hrtime.bigint() - started) / settings.callsPerSlice;
  };
  const results: TelemetryOperationResult[] = [];
  let spansRecorded = 0;
  try {
    for (const operation of ['get', 'save'] as const) {
      print(
        `telemetry: ${operation}, ${settings.slices} slices of ${settings.callsPerSlice} calls each way`,
      );
      const call = calls[operation];
      // Warm both paths first.
      await slice(call);
      const warm = registerNoopSdk();
      await slice(call);
      await warm.unregister();
      const pairs: Array<{ off: number; on: number }> = [];
      for (let n = 0; n < settings.slices; n++) {
        const off = await slice(call);
        const sdk = registerNoopSdk();
        const on = await slice(call);
        spansRecorded += sdk.spansExported;
        await sdk.unregister();
        pairs.push({ off, on });
      }
      results.push({
        operation,
        offNsPerCall: medianBy(pairs, (pair) => pair.off).off,
        onNsPerCall: medianBy(pairs, (pair) => pair.on).on,
        overheadNsPerCall: medianBy(
          pairs.map((pair) => pair.on - pair.off),
          (difference) => difference,
        ),
      });
    }
  } finally {
    await service.close();
  }
  return { startedAt, settings, machine: describeMachine(), results, spansRecorded };
}

/** The printed summary of a `--telemetry` run. */
export function formatTelemetryReport(report: TelemetryBenchReport): string {
  const lines = [
    `Gofannon DB bench --telemetry: memory adapter, ${report.settings.slices} alternating slices of ${report.settings.callsPerSlice} calls per mode`,
    'operation  no SDK ns/call  SDK ns/call  overhead ns/call',
  ];
  for (const result of report.results) {
    lines.push(
      `${result.operation.padEnd(9)}  ${result.offNsPerCall.toFixed(0).padStart(14)}  ${result.onNsPerCall.toFixed(0).padStart(11)}  ${result.overheadNsPerCall.toFixed(0).padStart(16)}`,
    );
  }
  lines.push(`spans recorded with the SDK on: ${report.spansRecorded.toLocaleString('en-US')}`);
  return lines.join('\n');
}
