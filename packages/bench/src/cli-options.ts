import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FIND_PROVIDER_NAMES } from './find/find-providers';
import type { FindBenchSettings } from './find/results';
import { HTTP_PROVIDERS } from './http/backends';
import type { HttpBenchSettings } from './http/results';
import {
  MIGRATE_TARGET_NAMES,
  type MigrateBenchSettings,
  type MigrateTargetName,
} from './migrate/results';
import {
  benchProviderNames,
  DEFAULT_BENCH_PROVIDER,
  providerDefaults,
  type SizeDefaults,
} from './providers/registry';
import { PURGE_PROVIDER_NAMES } from './purge/purge-providers';
import type { PurgeBenchSettings } from './purge/results';
import type { BenchSettings } from './results';
import { PAIRS } from './runner/operations';
import type { TelemetryBenchSettings } from './telemetry/run-telemetry-bench';

export interface CliOptions {
  settings: BenchSettings;
  /** Present with `--migrate`: the migrate measurements run instead of the table. */
  migrate?: MigrateBenchSettings;
  /** Present with `--http`: the HTTP load run of the API instead of the table. */
  http?: HttpBenchSettings;
  /** Present with `--find`: the query measurements run instead of the table. */
  find?: FindBenchSettings;
  /** Present with `--purge`: purgeExpired of many expired documents per provider. */
  purge?: PurgeBenchSettings;
  /** Present with `--telemetry`: what OpenTelemetry costs the memory adapter's calls. */
  telemetry?: TelemetryBenchSettings;
  /** Present with `--all`: one table run per provider, each with its own sizes, then a summary. */
  all?: BenchSettings[];
  /** Present with `--dynamodb-scans`: documents of the parallel-against-sequential Scan comparison. */
  dynamodbScans?: number;
  outDir: string;
  strict: boolean;
  help: boolean;
}

const DEFAULT_OUT_DIR = fileURLToPath(new URL('../bench-results', import.meta.url));
/**
 * Sized so the whole memory run takes well under a minute on 2 cores; a provider may lower
 * `ops`, `warmup` and `docs` (see `defaults` in `providers/registry.ts`).
 */
const DEFAULTS = { ops: 20_000, warmup: 2_000, docs: 2_000, seed: 1, minCalls: PAIRS };
/** Sizes of the measurements after the table, for providers that make them (couchdb, postgres). */
const EXTRA_DEFAULTS = { bulkDocs: 10_000, listDocs: 50_000 };

/**
 * Source sizes `--migrate` measures per target when `--migrate-docs` is not given. A slower
 * target can be given smaller sizes here; every target gets the 10,000 and 100,000.
 */
export const MIGRATE_DEFAULT_DOCS: Record<MigrateTargetName, number[]> = {
  memory: [10_000, 100_000],
  couchdb: [10_000, 100_000],
  postgres: [10_000, 100_000],
  dynamodb: [10_000, 100_000],
  firestore: [10_000, 100_000],
};
/**
 * `--find`: the 100,000 documents and pages of 20, the first 50 pages; 20 walks
 * of each indexed reader, so the adapter and the hand-written SQL each read 1,000 pages.
 */
const FIND_DEFAULTS = {
  documents: 100_000,
  pages: 50,
  pageSize: 20,
  rounds: 20,
  minSpeedup: 50,
  minHandRatio: 0.9,
};
/** `--purge`: the 100,000 expired documents per provider. */
const PURGE_DEFAULT_DOCUMENTS = 100_000;
/** `--telemetry`: 32 alternating slices of 2,000 calls per operation and mode. */
const TELEMETRY_DEFAULTS = { callsPerSlice: 2_000, slices: 32 };
/**
 * The HTTP load run: three rounds per target of five seconds of the baseline and five of the
 * target, each after a short warm-up, on every provider here.
 */
const HTTP_DEFAULTS = {
  providers: [...HTTP_PROVIDERS],
  durationSeconds: 5,
  warmupSeconds: 2,
  rounds: 3,
  connections: 16,
  minMemoryRatio: 0.8,
};

/**
 * Runs of each (target, size) for `--migrate` when `--migrate-repeats` is not given: a
 * peak depends on when V8 happens to collect, so one run can land several MiB off, and the
 * median of three is judged. The local Firestore emulator does not last three runs of
 * 100,000 documents (its writes slow down past the adapter's timeout), so it runs once.
 */
export const MIGRATE_DEFAULT_REPEATS: Record<MigrateTargetName, number> = {
  memory: 3,
  couchdb: 3,
  postgres: 3,
  dynamodb: 3,
  firestore: 1,
};

/** db-cli's own defaults, as `gofannon-db migrate` runs without flags. */
const MIGRATE_RUN = { batchSize: 250, concurrency: 4, sampleIntervalMs: 50, maxPeakRatio: 1.5 };

/** The providers that default a flag differently, as "; couchdb 1000". */
function overrides(key: keyof SizeDefaults): string {
  return benchProviderNames()
    .filter((name) => providerDefaults(name)[key] !== undefined)
    .map((name) => `; ${name} ${providerDefaults(name)[key]}`)
    .join('');
}

export const USAGE = `Usage: pnpm bench [options]

Runs the same workload against a provider's adapter and its baseline and compares them.

  --provider <name>  provider to bench (default: $DATABASE_PROVIDER, else ${DEFAULT_BENCH_PROVIDER})
  --ops <n>          documents each operation moves while measured (default ${DEFAULTS.ops}${overrides('ops')})
  --warmup <n>       documents each operation moves before measuring (default ${DEFAULTS.warmup}${overrides('warmupOps')})
  --docs <n>         documents preloaded into each of the six collections (default ${DEFAULTS.docs}${overrides('docsPerCollection')})
  --seed <n>         seed of the document generator and of every random choice (default ${DEFAULTS.seed})
  --min-calls <n>    calls each operation makes at least while measured, batch and page calls too (default ${DEFAULTS.minCalls}, one per pair of slices)
  --bulk-docs <n>    couchdb, postgres: one saveMany of n documents against n single saves (default ${EXTRA_DEFAULTS.bulkDocs})
  --list-docs <n>    couchdb, postgres: listAll of a collection of n documents (default ${EXTRA_DEFAULTS.listDocs})
  --all              run the table on every provider, one after another, and print a summary of the ratios
  --providers <a,b>  providers for --all (default ${benchProviderNames().join(',')})
  --out <dir>        folder for the JSON results (default packages/bench/bench-results)
  --migrate          measure db-cli's migrate() from a memory source instead (see README)
  --migrate-docs <n,n>     source sizes for --migrate (default ${MIGRATE_DEFAULT_DOCS.memory.join(',')})
  --migrate-targets <a,b>  targets for --migrate (default ${MIGRATE_TARGET_NAMES.join(',')})
  --migrate-repeats <n>    --migrate runs of each size; the median is judged (default 3; firestore 1)
  --http             load the sample API over HTTP instead, against a bare Fastify route over a Map (see README)
  --http-providers <a,b>   providers the API runs on for --http (default ${HTTP_DEFAULTS.providers.join(',')})
  --http-duration <s>      seconds of load per target for --http (default ${HTTP_DEFAULTS.durationSeconds})
  --http-connections <n>   concurrent connections for --http (default ${HTTP_DEFAULTS.connections})
  --http-warmup <s>        seconds of unmeasured load before each --http measurement (default ${HTTP_DEFAULTS.warmupSeconds})
  --http-rounds <n>        rounds per --http target, each a baseline run and a run of the target (default ${HTTP_DEFAULTS.rounds})
  --http-costs             --http: also run the API on memory without its request log, its token check, and both
  --purge            purgeExpired of many expired documents per provider (see README)
  --purge-docs <n>         expired documents for --purge (default ${PURGE_DEFAULT_DOCUMENTS})
  --purge-providers <a,b>  providers --purge measures, in order (default ${PURGE_PROVIDER_NAMES.join(',')})
  --telemetry        what OpenTelemetry adds to the memory adapter's get and save, no SDK against one (see README)
  --find             measure an equality + orderBy query, indexed against unindexed, on memory and postgres (see README)
  --find-docs <n>          documents for --find (default ${FIND_DEFAULTS.documents})
  --find-pages <n>         pages of ${FIND_DEFAULTS.pageSize} read per walk for --find (default ${FIND_DEFAULTS.pages})
  --find-providers <a,b>   providers --find measures, in order (default ${FIND_PROVIDER_NAMES.join(',')})
  --dynamodb-scans <n>     compare listAll of n documents by parallel and by sequential Scan on DynamoDB instead
  --strict           exit non-zero when a target (throughput, or --migrate peak ratio) fails
  --help             show this help`;

export function parseCliOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): CliOptions {
  // `pnpm bench -- --ops 5` hands the script a literal "--" first; it separates nothing here.
  const args = argv[0] === '--' ? argv.slice(1) : [...argv];
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      provider: { type: 'string' },
      ops: { type: 'string' },
      warmup: { type: 'string' },
      docs: { type: 'string' },
      seed: { type: 'string', default: String(DEFAULTS.seed) },
      'min-calls': { type: 'string', default: String(DEFAULTS.minCalls) },
      'bulk-docs': { type: 'string', default: String(EXTRA_DEFAULTS.bulkDocs) },
      'list-docs': { type: 'string', default: String(EXTRA_DEFAULTS.listDocs) },
      out: { type: 'string', default: DEFAULT_OUT_DIR },
      all: { type: 'boolean', default: false },
      providers: { type: 'string' },
      migrate: { type: 'boolean', default: false },
      'migrate-docs': { type: 'string' },
      'migrate-targets': { type: 'string' },
      'migrate-repeats': { type: 'string' },
      http: { type: 'boolean', default: false },
      'http-providers': { type: 'string' },
      'http-costs': { type: 'boolean' },
      'http-rounds': { type: 'string' },
      'http-duration': { type: 'string' },
      'http-connections': { type: 'string' },
      'http-warmup': { type: 'string' },
      'dynamodb-scans': { type: 'string' },
      find: { type: 'boolean', default: false },
      telemetry: { type: 'boolean', default: false },
      purge: { type: 'boolean', default: false },
      'purge-docs': { type: 'string' },
      'purge-providers': { type: 'string' },
      'find-docs': { type: 'string' },
      'find-pages': { type: 'string' },
      'find-providers': { type: 'string' },
      strict: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const provider = values.provider ?? (env.DATABASE_PROVIDER || DEFAULT_BENCH_PROVIDER);
  // --migrate ignores --provider, so an unknown DATABASE_PROVIDER must not stop it.
  const sizes =
    values.help ||
    values.migrate ||
    values.http ||
    values.find ||
    values.telemetry ||
    values.purge ||
    values.all ||
    values['dynamodb-scans']
      ? {}
      : providerDefaults(provider);
  const settingsFor = (name: string, defaults: Partial<SizeDefaults>): BenchSettings => ({
    provider: name,
    ops: wholeNumber('--ops', values.ops ?? String(defaults.ops ?? DEFAULTS.ops), 1),
    warmupOps: wholeNumber(
      '--warmup',
      values.warmup ?? String(defaults.warmupOps ?? DEFAULTS.warmup),
      0,
    ),
    docsPerCollection: wholeNumber(
      '--docs',
      values.docs ?? String(defaults.docsPerCollection ?? DEFAULTS.docs),
      1,
    ),
    seed: wholeNumber('--seed', values.seed, 0),
    minCalls: wholeNumber('--min-calls', values['min-calls'], 1),
    bulkDocs: wholeNumber('--bulk-docs', values['bulk-docs'], 1),
    listDocs: wholeNumber('--list-docs', values['list-docs'], 1),
  });
  if (values.providers !== undefined && !values.all) {
    throw new Error('--providers chooses the providers of --all; for one provider use --provider');
  }
  return {
    settings: settingsFor(provider, sizes),
    ...(values.all
      ? {
          all: allProviders(values.providers).map((name) =>
            settingsFor(name, providerDefaults(name)),
          ),
        }
      : {}),
    ...(values.migrate
      ? {
          migrate: migrateSettings(
            values['migrate-docs'],
            values['migrate-targets'],
            wholeNumber('--seed', values.seed, 0),
            values['migrate-repeats'] === undefined
              ? undefined
              : wholeNumber('--migrate-repeats', values['migrate-repeats'], 1),
          ),
        }
      : {}),
    ...(values.http
      ? {
          http: {
            ...HTTP_DEFAULTS,
            providers: httpProviders(values['http-providers']),
            featureCosts: values['http-costs'] === true,
            rounds: wholeNumber(
              '--http-rounds',
              values['http-rounds'] ?? String(HTTP_DEFAULTS.rounds),
              1,
            ),
            durationSeconds: wholeNumber(
              '--http-duration',
              values['http-duration'] ?? String(HTTP_DEFAULTS.durationSeconds),
              1,
            ),
            connections: wholeNumber(
              '--http-connections',
              values['http-connections'] ?? String(HTTP_DEFAULTS.connections),
              1,
            ),
            warmupSeconds: wholeNumber(
              '--http-warmup',
              values['http-warmup'] ?? String(HTTP_DEFAULTS.warmupSeconds),
              0,
            ),
            seed: wholeNumber('--seed', values.seed, 0),
          },
        }
      : {}),
    ...(values.find
      ? {
          find: findSettings(
            values['find-docs'],
            values['find-pages'],
            values['find-providers'],
            wholeNumber('--seed', values.seed, 0),
          ),
        }
      : {}),
    ...(values.telemetry ? { telemetry: { ...TELEMETRY_DEFAULTS } } : {}),
    ...(values.purge
      ? {
          purge: {
            documents: wholeNumber(
              '--purge-docs',
              values['purge-docs'] ?? String(PURGE_DEFAULT_DOCUMENTS),
              1,
            ),
            providers:
              values['purge-providers'] === undefined
                ? [...PURGE_PROVIDER_NAMES]
                : listedNames(
                    '--purge-providers',
                    values['purge-providers'],
                    PURGE_PROVIDER_NAMES,
                    true,
                  ),
          },
        }
      : {}),
    ...(values['dynamodb-scans'] === undefined
      ? {}
      : { dynamodbScans: wholeNumber('--dynamodb-scans', values['dynamodb-scans'], 1001) }),
    outDir: values.out,
    strict: values.strict,
    help: values.help,
  };
}

function migrateSettings(
  docsFlag: string | undefined,
  targetsFlag: string | undefined,
  seed: number,
  repeatsFlag: number | undefined,
): MigrateBenchSettings {
  const targets = (targetsFlag ?? MIGRATE_TARGET_NAMES.join(','))
    .split(',')
    .map((name) => name.trim());
  for (const target of targets) {
    if (!(MIGRATE_TARGET_NAMES as readonly string[]).includes(target)) {
      throw new Error(
        `--migrate-targets: no target "${target}"; choose from: ${MIGRATE_TARGET_NAMES.join(', ')}`,
      );
    }
  }
  if (new Set(targets).size !== targets.length) {
    throw new Error(`--migrate-targets names a target twice: "${targetsFlag}"`);
  }
  const given = docsFlag
    ?.split(',')
    .map((text) => wholeNumber('--migrate-docs', text.trim(), 6))
    .sort((a, b) => a - b);
  const docs = {} as Record<MigrateTargetName, number[]>;
  const repeats = {} as Record<MigrateTargetName, number>;
  for (const target of MIGRATE_TARGET_NAMES) {
    docs[target] = given ?? MIGRATE_DEFAULT_DOCS[target];
    repeats[target] = repeatsFlag ?? MIGRATE_DEFAULT_REPEATS[target];
  }
  return { targets: targets as MigrateTargetName[], docs, seed, repeats, ...MIGRATE_RUN };
}

function findSettings(
  docsFlag: string | undefined,
  pagesFlag: string | undefined,
  providersFlag: string | undefined,
  seed: number,
): FindBenchSettings {
  const given = (flag: string, text: string | undefined, fallback: number) =>
    text === undefined ? fallback : wholeNumber(flag, text, 1);
  return {
    ...FIND_DEFAULTS,
    documents: given('--find-docs', docsFlag, FIND_DEFAULTS.documents),
    pages: given('--find-pages', pagesFlag, FIND_DEFAULTS.pages),
    providers:
      providersFlag === undefined
        ? [...FIND_PROVIDER_NAMES]
        : listedNames('--find-providers', providersFlag, FIND_PROVIDER_NAMES, true),
    seed,
  };
}

function allProviders(flag: string | undefined): string[] {
  return flag === undefined
    ? benchProviderNames()
    : listedNames('--providers', flag, benchProviderNames(), true);
}

function httpProviders(flag: string | undefined): string[] {
  return flag === undefined
    ? HTTP_DEFAULTS.providers
    : listedNames('--http-providers', flag, HTTP_PROVIDERS, false);
}

/** The comma-separated names of a flag, each one of `known` (and each once, if `distinct`). */
function listedNames(
  name: string,
  flag: string,
  known: readonly string[],
  distinct: boolean,
): string[] {
  const names = flag.split(',').map((listed) => listed.trim());
  const unknown = names.filter((listed) => !known.includes(listed));
  const repeated = distinct && new Set(names).size !== names.length;
  if (unknown.length > 0 || names.length === 0 || repeated) {
    throw new Error(
      `${name} takes ${distinct ? 'distinct ' : ''}names from ${known.join(', ')}, got "${flag}"`,
    );
  }
  return names;
}

function wholeNumber(flag: string, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min) {
    throw new Error(`${flag} must be a whole number of at least ${min}, got "${text}"`);
  }
  return value;
}
