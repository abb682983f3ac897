import { performance } from 'node:perf_hooks';
import type { DatabaseService } from '@gofannon/db-core';
import { type BenchProvider, openBenchProvider, type WireCounter } from '../providers/registry';
import { describeMachine } from '../report/machine';
import type {
  BenchReport,
  BenchSettings,
  ExtraMeasurements,
  GoalCheck,
  OperationResult,
  ThroughputGoal,
} from '../results';
import { serviceTarget } from '../targets/service-target';
import { buildDataset, type Dataset } from '../workload/dataset';
import { TargetWorkload } from '../workload/target-workload';
import { measureListAll, measureSaveManyVsSingle } from './extras';
import { callsFor, OPERATIONS, type OperationSpec, PAIRS } from './operations';
import { LatencyRecorder, pairedThroughputRatio } from './stats';

/** Runs the whole workload against the provider's adapter and its baseline in this process. */
export async function runBench(
  settings: BenchSettings,
  env: Readonly<Record<string, string | undefined>> = {},
): Promise<BenchReport> {
  const startedAt = new Date();
  const started = performance.now();
  const dataset = buildDataset(settings.seed, settings.docsPerCollection);
  const provider = await openBenchProvider(settings.provider, env);
  try {
    const service = await provider.makeAdapter();
    const adapter = new TargetWorkload(serviceTarget(service), dataset, settings.seed);
    let baseline: TargetWorkload | undefined;
    try {
      baseline = new TargetWorkload(await provider.makeBaseline(), dataset, settings.seed);
      await adapter.preload();
      await baseline.preload();
      const operations: OperationResult[] = [];
      for (const operation of OPERATIONS) {
        operations.push(await measure(operation, adapter, baseline, settings, provider.wire));
      }
      const extras = provider.extras
        ? await measureExtras(service, provider, dataset, settings)
        : undefined;
      return {
        settings,
        ...(provider.backend === undefined ? {} : { backend: provider.backend }),
        startedAt: startedAt.toISOString(),
        durationMs: performance.now() - started,
        machine: describeMachine(),
        operations,
        ...(provider.wire === undefined ? {} : { wireUnit: provider.wire.unit }),
        goals: checkGoals(provider.throughputGoals, operations),
        ...(extras === undefined ? {} : { extras }),
        peakRssMiB: process.resourceUsage().maxRSS / 1024,
      };
    } finally {
      await Promise.all([adapter.close(), baseline?.close()]);
    }
  } finally {
    await provider.close?.();
  }
}

async function measureExtras(
  service: DatabaseService,
  provider: BenchProvider,
  dataset: Dataset,
  settings: BenchSettings,
): Promise<ExtraMeasurements> {
  const { wire, extras } = provider;
  if (!wire || !extras)
    throw new Error(`Provider ${settings.provider} asks for extras without a wire`);
  return {
    saveMany: await measureSaveManyVsSingle(
      service,
      wire,
      dataset,
      settings.seed,
      settings.bulkDocs,
      extras.minSaveManySpeedup,
    ),
    listAll: await measureListAll(service, wire, dataset, settings.seed, settings.listDocs),
  };
}

async function measure(
  operation: OperationSpec,
  adapter: TargetWorkload,
  baseline: TargetWorkload,
  settings: BenchSettings,
  wire: WireCounter | undefined,
): Promise<OperationResult> {
  const warmupCalls = callsFor(operation, settings.warmupOps);
  await runCalls(operation, adapter, warmupCalls);
  await runCalls(operation, baseline, warmupCalls);

  const calls = Math.max(callsFor(operation, settings.ops), settings.minCalls);
  const adapterLatency = new LatencyRecorder();
  const baselineLatency = new LatencyRecorder();
  const pairTimes: Array<{ adapterMs: number; baselineMs: number }> = [];
  const pairs = Math.min(PAIRS, calls);
  for (let pair = 0; pair < pairs; pair++) {
    const slice = Math.floor(calls / pairs) + (pair < calls % pairs ? 1 : 0);
    let adapterMs: number;
    let baselineMs: number;
    if (pair % 2 === 0) {
      adapterMs = await runCalls(operation, adapter, slice, adapterLatency, wire);
      baselineMs = await runCalls(operation, baseline, slice, baselineLatency, wire);
    } else {
      baselineMs = await runCalls(operation, baseline, slice, baselineLatency, wire);
      adapterMs = await runCalls(operation, adapter, slice, adapterLatency, wire);
    }
    pairTimes.push({ adapterMs, baselineMs });
  }
  return {
    operation: operation.name,
    docsPerCall: operation.docsPerCall,
    adapter: adapterLatency.summarize(),
    baseline: baselineLatency.summarize(),
    ratio: pairedThroughputRatio(pairTimes),
  };
}

/**
 * Runs `count` calls one after another, timing them into `recorder` when one is given,
 * with the requests `wire` saw meanwhile (only one target runs at a time). Answers the
 * milliseconds the calls took.
 */
async function runCalls(
  operation: OperationSpec,
  workload: TargetWorkload,
  count: number,
  recorder?: LatencyRecorder,
  wire?: WireCounter,
): Promise<number> {
  const calls = Array.from({ length: count }, () => operation.prepare(workload));
  const requestsBefore = wire?.counts().requests ?? 0;
  const loopStart = performance.now();
  for (const call of calls) {
    const start = performance.now();
    await call();
    recorder?.record(performance.now() - start);
  }
  const elapsedMs = performance.now() - loopStart;
  recorder?.addElapsed(elapsedMs);
  if (wire) recorder?.addRequests(wire.counts().requests - requestsBefore);
  return elapsedMs;
}

function checkGoals(
  goals: readonly ThroughputGoal[],
  operations: readonly OperationResult[],
): GoalCheck[] {
  return goals.map((goal) => {
    const ratio = operations.find((result) => result.operation === goal.operation)?.ratio ?? 0;
    return { ...goal, ratio, passed: ratio >= goal.minRatio };
  });
}
