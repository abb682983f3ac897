import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_BENCH_PROVIDER } from './providers/registry';
import type { BenchSettings } from './results';

export interface CliOptions {
  settings: BenchSettings;
  outDir: string;
  strict: boolean;
  help: boolean;
}

const DEFAULT_OUT_DIR = fileURLToPath(new URL('../bench-results', import.meta.url));
/** Sized so the whole memory run takes well under a minute on 2 cores. */
const DEFAULTS = { ops: 20_000, warmup: 2_000, docs: 2_000, seed: 1 };

export const USAGE = `Usage: pnpm bench [options]

Runs the same workload against a provider's adapter and its baseline and compares them.

  --provider <name>  provider to bench (default: $DATABASE_PROVIDER, else ${DEFAULT_BENCH_PROVIDER})
  --ops <n>          documents each operation moves while measured (default ${DEFAULTS.ops})
  --warmup <n>       documents each operation moves before measuring (default ${DEFAULTS.warmup})
  --docs <n>         documents preloaded into each of the six collections (default ${DEFAULTS.docs})
  --seed <n>         seed of the document generator and of every random choice (default ${DEFAULTS.seed})
  --out <dir>        folder for the JSON results (default packages/bench/bench-results)
  --strict           exit non-zero when a throughput target fails
  --help             show this help`;

export function parseCliOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): CliOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      provider: { type: 'string' },
      ops: { type: 'string', default: String(DEFAULTS.ops) },
      warmup: { type: 'string', default: String(DEFAULTS.warmup) },
      docs: { type: 'string', default: String(DEFAULTS.docs) },
      seed: { type: 'string', default: String(DEFAULTS.seed) },
      out: { type: 'string', default: DEFAULT_OUT_DIR },
      strict: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  return {
    settings: {
      provider: values.provider ?? (env.DATABASE_PROVIDER || DEFAULT_BENCH_PROVIDER),
      ops: wholeNumber('--ops', values.ops, 1),
      warmupOps: wholeNumber('--warmup', values.warmup, 0),
      docsPerCollection: wholeNumber('--docs', values.docs, 1),
      seed: wholeNumber('--seed', values.seed, 0),
    },
    outDir: values.out,
    strict: values.strict,
    help: values.help,
  };
}

function wholeNumber(flag: string, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min) {
    throw new Error(`${flag} must be a whole number of at least ${min}, got "${text}"`);
  }
  return value;
}
