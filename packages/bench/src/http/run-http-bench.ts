import autocannon from 'autocannon';
import { describeMachine } from '../report/machine';
import { medianBy } from '../runner/stats';
import { openHttpBackend } from './backends';
import { BENCH_TOKEN, MIX, mixPicker } from './mix';
import {
  BASELINE_WITH_LOG_AND_TOKEN,
  type HttpBenchReport,
  type HttpBenchSettings,
  type HttpMeasurement,
} from './results';
import { type ServerProcess, startServerProcess } from './server-process';

const AUTHORIZATION = { authorization: `Bearer ${BENCH_TOKEN}` };

/** A server the bench loads: the API (on the provider's backend) or the baseline. */
interface Variant {
  target: string;
  mode: 'api' | 'baseline';
  env: Record<string, string>;
}

const BASELINE_BACKEND = 'a Map in the server process';

/**
 * To say what each feature costs (the judged run has them all: the bearer token and the
 * request log): the API on memory again without a feature, and the baseline with them.
 */
const MEMORY_COST_VARIANTS: readonly Variant[] = [
  { target: 'api on memory, no request log', mode: 'api', env: { GOFANNON_BENCH_API_LOG: 'off' } },
  {
    target: 'api on memory, no token check',
    mode: 'api',
    env: { GOFANNON_BENCH_API_AUTH: 'off' },
  },
  {
    target: 'api on memory, neither',
    mode: 'api',
    env: { GOFANNON_BENCH_API_LOG: 'off', GOFANNON_BENCH_API_AUTH: 'off' },
  },
  {
    target: "baseline with the API's request log",
    mode: 'baseline',
    env: { GOFANNON_BENCH_BASELINE_LOG: 'on' },
  },
  {
    target: BASELINE_WITH_LOG_AND_TOKEN,
    mode: 'baseline',
    env: { GOFANNON_BENCH_BASELINE_LOG: 'on', GOFANNON_BENCH_BASELINE_AUTH: 'on' },
  },
];

interface LoadResult {
  requestsPerSecond: number;
  /** Requests answered. */
  requests: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  failures: number;
}

/** A measured run: its load, and the server's CPU time per request in it. */
interface RunResult extends LoadResult {
  serverCpuMicrosPerRequest: number | null;
}

/**
 * Runs the request mix with autocannon against the API on each provider and against a bare
 * Fastify-over-Map baseline, each server in a process of its own on loopback. Each target
 * is measured in `rounds` rounds, each a fresh baseline run and then the target: the
 * baseline's speed moves most between runs (when a server does little, the load generator
 * sharing its cores sets the pace), so each target's ratio is the median of its rounds'
 * ratios to the baseline run just before it.
 */
export async function runHttpBench(
  settings: HttpBenchSettings,
  env: Readonly<Record<string, string | undefined>>,
  log: (line: string) => void,
): Promise<HttpBenchReport> {
  const startedAt = new Date().toISOString();
  const baselineRuns: RunResult[] = [];
  const measured: HttpMeasurement[] = [];
  const { rounds, durationSeconds } = settings;
  log(`each target: ${rounds} rounds of a baseline run and a run of it, ${durationSeconds} s each`);
  for (const provider of settings.providers) {
    const backend = await openHttpBackend(provider, env);
    try {
      const variants: Variant[] = [
        { target: `api on ${provider}`, mode: 'api', env: {} },
        ...(provider === 'memory' && settings.featureCosts ? MEMORY_COST_VARIANTS : []),
      ];
      for (const variant of variants) {
        const description = variant.mode === 'api' ? backend.description : BASELINE_BACKEND;
        log(`${variant.target}: ${description}`);
        const serverEnv = { ...backend.env, ...variant.env };
        const runs: RunResult[] = [];
        const ratios: number[] = [];
        for (let round = 0; round < rounds; round++) {
          const baseline = await measure(await startServerProcess('baseline', {}), settings);
          const run = await measure(await startServerProcess(variant.mode, serverEnv), settings);
          baselineRuns.push(baseline);
          runs.push(run);
          ratios.push(run.requestsPerSecond / baseline.requestsPerSecond);
        }
        measured.push({
          target: variant.target,
          backend: description,
          ...summaryOf(runs),
          ratio: medianBy(ratios, (ratio) => ratio),
        });
      }
    } finally {
      await backend.close();
    }
  }
  const measurements: HttpMeasurement[] = [
    {
      target: 'baseline',
      backend: BASELINE_BACKEND,
      ...summaryOf(baselineRuns),
      ratio: 1,
    },
    ...measured,
  ];
  const memory = measurements.find((m) => m.target === 'api on memory');
  const total = MIX.reduce((sum, entry) => sum + entry.weight, 0);
  return {
    kind: 'http',
    startedAt,
    machine: describeMachine(),
    settings,
    mix: MIX.map((entry) => ({ request: entry.name, share: entry.weight / total })),
    measurements,
    ...(memory && {
      goal: {
        target: memory.target,
        minRatio: settings.minMemoryRatio,
        ratio: memory.ratio,
        passed: memory.ratio >= settings.minMemoryRatio,
      },
    }),
  };
}

async function measure(server: ServerProcess, settings: HttpBenchSettings): Promise<RunResult> {
  try {
    if (settings.warmupSeconds > 0) await load(server.url, settings, settings.warmupSeconds);
    const cpuBefore = server.cpuMicros();
    const result = await load(server.url, settings, settings.durationSeconds);
    const cpuAfter = server.cpuMicros();
    const serverCpuMicrosPerRequest =
      cpuBefore === undefined || cpuAfter === undefined || result.requests === 0
        ? null
        : (cpuAfter - cpuBefore) / result.requests;
    return { ...result, serverCpuMicrosPerRequest };
  } finally {
    await server.stop();
  }
}

async function load(
  url: string,
  settings: HttpBenchSettings,
  seconds: number,
): Promise<LoadResult> {
  const next = mixPicker(settings.seed);
  const result = await autocannon({
    url,
    connections: settings.connections,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        setupRequest: (request) => {
          const { method, path, body } = next();
          const headers: Record<string, string> =
            body === undefined
              ? AUTHORIZATION
              : { ...AUTHORIZATION, 'content-type': 'application/json' };
          return { ...request, method, path, body, headers };
        },
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    requests: result.requests.total,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

/**
 * Several runs of one server as one: the run of median requests per second, all failures,
 * the median CPU time per request.
 */
function summaryOf(
  runs: readonly RunResult[],
): Omit<HttpMeasurement, 'target' | 'backend' | 'ratio'> {
  const { requestsPerSecond, latencyP50Ms, latencyP99Ms } = medianBy(
    runs,
    (run) => run.requestsPerSecond,
  );
  const cpu = runs.flatMap((run) => run.serverCpuMicrosPerRequest ?? []);
  return {
    requestsPerSecond,
    latencyP50Ms,
    latencyP99Ms,
    failures: runs.reduce((sum, run) => sum + run.failures, 0),
    serverCpuMicrosPerRequest:
      cpu.length === runs.length ? medianBy(cpu, (micros) => micros) : null,
  };
}
