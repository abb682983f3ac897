import type { ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { spawnTsx } from '../process/spawn-tsx';
import { describeMachine } from '../report/machine';
import { medianBy } from '../runner/stats';
import { type MigrateBackend, openMigrateBackend } from './backends';
import type { ChildMessage } from './child-main';
import type { MeasureSpec } from './measure';
import type {
  MigrateBenchReport,
  MigrateBenchSettings,
  MigrateMeasurement,
  MigrateRun,
  MigrateTargetName,
  PeakRatioCheck,
} from './results';
import { formatMeasurementLine } from './table';

const CHILD_MAIN = fileURLToPath(new URL('./child-main.ts', import.meta.url));
const STDERR_TAIL_CHARS = 8_000;

/**
 * Measures db-cli's `migrate()` from a memory source to every target at every size. Each
 * measurement runs in a fresh Node process of its own (see `child-main.ts`), so the sizes
 * are compared from the same starting state: in one long-lived process, the heap the first
 * run grew would still be mapped when the next one starts. Servers are started here, once
 * per target, and what each measurement wrote is dropped before the next.
 */
export async function runMigrateBench(
  settings: MigrateBenchSettings,
  env: Readonly<Record<string, string | undefined>> = {},
  log: (line: string) => void = () => {},
): Promise<MigrateBenchReport> {
  const startedAt = new Date();
  const started = performance.now();
  const measurements: MigrateMeasurement[] = [];
  const backends: MigrateBenchReport['backends'] = {};
  for (const target of settings.targets) {
    const backend = await openMigrateBackend(target, env);
    backends[target] = backend.description;
    try {
      for (const documents of settings.docs[target]) {
        const runs: MigrateRun[] = [];
        for (let run = 0; run < settings.repeats[target]; run++) {
          runs.push(await measureInChild(settings, target, documents, run, backend));
          log(formatMeasurementLine(runs.at(-1) as MigrateRun));
        }
        measurements.push(medianRun(runs));
      }
    } finally {
      await backend.close();
    }
  }
  return {
    kind: 'migrate',
    settings,
    backends,
    startedAt: startedAt.toISOString(),
    durationMs: performance.now() - started,
    machine: describeMachine(),
    measurements,
    checks: checkPeaks(settings, measurements),
  };
}

/** The run with the median peak RSS growth (the upper one of an even count), with all peaks. */
function medianRun(runs: readonly MigrateRun[]): MigrateMeasurement {
  const median = medianBy(runs, (run) => run.peakRssGrowthMiB);
  return { ...median, runPeaksMiB: runs.map((run) => run.peakRssGrowthMiB) };
}

async function measureInChild(
  settings: MigrateBenchSettings,
  target: MigrateTargetName,
  documents: number,
  run: number,
  backend: MigrateBackend,
): Promise<MigrateRun> {
  const name = `${documents}_${run}`;
  const spec: MeasureSpec = {
    target,
    documents,
    seed: settings.seed,
    batchSize: settings.batchSize,
    concurrency: settings.concurrency,
    sampleIntervalMs: settings.sampleIntervalMs,
    ...backend.specFor(name),
  };
  try {
    return await runChild(spec);
  } finally {
    await backend.cleanUp(name);
  }
}

/** Starts `child-main.ts` under tsx with `--expose-gc` and waits for its one message. */
function runChild(spec: MeasureSpec): Promise<MigrateRun> {
  const child: ChildProcess = spawnTsx(CHILD_MAIN, {
    nodeFlags: ['--expose-gc'],
    args: [JSON.stringify(spec)],
    // The target's client libraries read credentials and emulator switches from here.
    env: spec.targetEnv,
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS);
  });
  let message: ChildMessage | undefined;
  child.on('message', (received) => {
    message = received as ChildMessage;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const what = `migrate measurement (${spec.target}, ${spec.documents} docs)`;
      if (message?.ok) resolve(message.measurement);
      else if (message) reject(new Error(`${what} failed: ${message.error}`));
      else
        reject(
          new Error(`${what} exited with ${signal ?? `code ${code}`} and no result\n${stderr}`),
        );
    });
  });
}

/** Compares each target's smallest and largest size, on `peakRssGrowthMiB`. */
export function checkPeaks(
  settings: MigrateBenchSettings,
  measurements: readonly MigrateMeasurement[],
): PeakRatioCheck[] {
  const checks: PeakRatioCheck[] = [];
  for (const target of settings.targets) {
    const own = measurements
      .filter((measurement) => measurement.target === target)
      .sort((a, b) => a.documents - b.documents);
    const small = own[0];
    const large = own.at(-1);
    if (!small || !large || small.documents === large.documents) continue;
    const ratio = large.peakRssGrowthMiB / Math.max(small.peakRssGrowthMiB, Number.EPSILON);
    checks.push({
      target,
      smallDocs: small.documents,
      largeDocs: large.documents,
      smallPeakMiB: small.peakRssGrowthMiB,
      largePeakMiB: large.peakRssGrowthMiB,
      ratio,
      maxRatio: settings.maxPeakRatio,
      passed: ratio <= settings.maxPeakRatio,
    });
  }
  return checks;
}
