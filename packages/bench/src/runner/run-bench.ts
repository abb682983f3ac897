import { availableParallelism, cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { loadBenchProvider } from '../providers/registry';
import type {
  BenchReport,
  BenchSettings,
  GoalCheck,
  OperationResult,
  ThroughputGoal,
} from '../results';
import { serviceTarget } from '../targets/service-target';
import { buildDataset } from '../workload/dataset';
import { TargetWorkload } from '../workload/target-workload';
import { callsFor, OPERATIONS, type OperationSpec } from './operations';
import { LatencyRecorder } from './stats';

/**
 * Each operation's measured calls are split into this many slices that alternate between
 * adapter and baseline, so drift on a shared machine (GC, JIT, noisy neighbours) lands on
 * both sides rather than on whichever ran second.
 */
const ROUNDS = 4;

/** Runs the whole workload against the provider's adapter and its baseline in this process. */
export async function runBench(settings: BenchSettings): Promise<BenchReport> {
  const startedAt = new Date();
  const started = performance.now();
  const provider = await loadBenchProvider(settings.provider);
  const dataset = buildDataset(settings.seed, settings.docsPerCollection);
  const adapter = new TargetWorkload(
    serviceTarget(await provider.makeAdapter()),
    dataset,
    settings.seed,
  );
  const baseline = new TargetWorkload(await provider.makeBaseline(), dataset, settings.seed);
  try {
    await adapter.preload();
    await baseline.preload();
    const operations: OperationResult[] = [];
    for (const operation of OPERATIONS) {
      operations.push(await measure(operation, adapter, baseline, settings));
    }
    return {
      settings,
      startedAt: startedAt.toISOString(),
      durationMs: performance.now() - started,
      machine: {
        node: process.version,
        platform: process.platform,
        arch: process.arch,
        cpus: availableParallelism(),
        cpuModel: cpus()[0]?.model ?? 'unknown',
      },
      operations,
      goals: checkGoals(provider.throughputGoals, operations),
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    await Promise.all([adapter.close(), baseline.close()]);
  }
}

async function measure(
  operation: OperationSpec,
  adapter: TargetWorkload,
  baseline: TargetWorkload,
  settings: BenchSettings,
): Promise<OperationResult> {
  const warmupCalls = callsFor(operation, settings.warmupOps);
  await runCalls(operation, adapter, warmupCalls);
  await runCalls(operation, baseline, warmupCalls);

  const calls = callsFor(operation, settings.ops);
  const adapterLatency = new LatencyRecorder();
  const baselineLatency = new LatencyRecorder();
  for (let round = 0; round < ROUNDS; round++) {
    const slice = Math.floor(calls / ROUNDS) + (round < calls % ROUNDS ? 1 : 0);
    if (round % 2 === 0) {
      await runCalls(operation, adapter, slice, adapterLatency);
      await runCalls(operation, baseline, slice, baselineLatency);
    } else {
      await runCalls(operation, baseline, slice, baselineLatency);
      await runCalls(operation, adapter, slice, adapterLatency);
    }
  }
  const adapterStats = adapterLatency.summarize();
  const baselineStats = baselineLatency.summarize();
  return {
    operation: operation.name,
    docsPerCall: operation.docsPerCall,
    adapter: adapterStats,
    baseline: baselineStats,
    ratio: adapterStats.opsPerSec / baselineStats.opsPerSec,
  };
}

/** Runs `count` calls one after another, timing them into `recorder` when one is given. */
async function runCalls(
  operation: OperationSpec,
  workload: TargetWorkload,
  count: number,
  recorder?: LatencyRecorder,
): Promise<void> {
  const calls = Array.from({ length: count }, () => operation.prepare(workload));
  const loopStart = performance.now();
  for (const call of calls) {
    const start = performance.now();
    await call();
    recorder?.record(performance.now() - start);
  }
  recorder?.addElapsed(performance.now() - loopStart);
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
