import { SettingsReader } from './adapter/settings';
import type { DatabaseService } from './types';

/** One environment setting an adapter reads. */
export interface SettingDefinition {
  /** The environment variable, such as `COUCHDB_URL`. */
  readonly name: string;
  /** Whether start-up fails without it. */
  readonly required: boolean;
  /** What it is, for the start-up error message. */
  readonly description: string;
}

/** What the factory hands an adapter: its settings read from the environment, and shared options. */
export interface AdapterContext {
  /** The adapter's declared settings that are set (non-empty), by name. */
  readonly settings: Readonly<Record<string, string>>;
  /** From `DATABASE_TIMEOUT_MS`, when set. */
  readonly timeoutMs?: number;
  /**
   * From the provider factory: a reader that already holds the factory's findings (required
   * settings missing, a bad `DATABASE_TIMEOUT_MS`). Check settings with it
   * (`SettingsReader.of(provider, context)` from `@gofannon/db-core/adapter`) and call
   * `done()`, so one start-up error names every problem.
   */
  readonly read?: SettingsReader;
}

/**
 * What an adapter package exports as `adapter`, so that `DATABASE_PROVIDER` can name it.
 */
export interface AdapterDefinition {
  /** The provider name the service reports. */
  readonly provider: string;
  /** Every environment setting the adapter reads. */
  readonly settings: readonly SettingDefinition[];
  /** Makes a service from settings the factory has already checked. */
  create(context: AdapterContext): DatabaseService | Promise<DatabaseService>;
}

/** The providers `DATABASE_PROVIDER` knows by a short name, and the package of each. */
export const BUILT_IN_PROVIDERS: Readonly<Record<string, string>> = Object.freeze({
  memory: '@gofannon/db-memory',
  couchdb: '@gofannon/db-couchdb',
  firestore: '@gofannon/db-firestore',
  dynamodb: '@gofannon/db-dynamodb',
  postgres: '@gofannon/db-postgres',
});

/** The provider used when `DATABASE_PROVIDER` is not set. */
export const DEFAULT_PROVIDER = 'memory';

/** A start-up problem: the configuration names something that cannot be used. */
export class ConfigurationError extends Error {
  readonly code = 'configuration';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigurationError';
  }
}

/** Options of {@link createDatabaseService}. */
export interface CreateOptions {
  /** Where settings come from; `process.env` by default. */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Loads an adapter package by name; `import()` from this package by default. Pass
   * `(name) => import(name)` from your application when your package manager hides the
   * application's dependencies from this package.
   */
  load?: (packageName: string) => Promise<unknown>;
}

const PACKAGE_NAME = /^(?:@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*$/;

/**
 * Makes the database service that `DATABASE_PROVIDER` names: a built-in provider
 * (`memory`, the default, `couchdb`, `firestore`, `dynamodb`, `postgres`) or the npm name
 * of any adapter package. The adapter package is loaded only now, so an application
 * installs only the one it uses. Throws {@link ConfigurationError} naming every problem.
 */
export async function createDatabaseService(options: CreateOptions = {}): Promise<DatabaseService> {
  const env = options.env ?? process.env;
  const provider = env.DATABASE_PROVIDER?.trim() || DEFAULT_PROVIDER;
  const definition = await loadAdapter(provider, options.load ?? ((name) => import(name)));

  const { settings } = readDeclaredSettings(definition.settings, env);
  const read = new SettingsReader(provider, settings);
  for (const setting of definition.settings) {
    if (setting.required) read.required(setting.name, setting.description);
  }
  const timeoutMs = readTimeout(env.DATABASE_TIMEOUT_MS, read);
  const context = { settings, read, ...(timeoutMs !== undefined && { timeoutMs }) };
  // The adapter checks its settings with the same reader, so its own problems join the
  // factory's in one error. When any was found, that error is the answer, whatever the
  // adapter did: one made without `read` may have failed on a missing setting, or made a
  // service it cannot use, which is closed.
  let service: DatabaseService;
  try {
    service = await definition.create(context);
  } catch (error) {
    if (read.failed) throw read.error();
    throw error;
  }
  if (read.failed) {
    await service.close().catch(() => undefined);
    throw read.error();
  }
  return service;
}

/** Loads and checks the adapter definition of a provider name or package name. */
export async function loadAdapter(
  provider: string,
  load: (packageName: string) => Promise<unknown> = (name) => import(name),
): Promise<AdapterDefinition> {
  const builtIn = Object.hasOwn(BUILT_IN_PROVIDERS, provider)
    ? BUILT_IN_PROVIDERS[provider]
    : undefined;
  const packageName = builtIn ?? provider;
  const known = `Built-in providers: ${Object.keys(BUILT_IN_PROVIDERS).join(', ')}; or the npm name of an adapter package.`;
  if (!builtIn && !PACKAGE_NAME.test(packageName)) {
    throw new ConfigurationError(`Unknown DATABASE_PROVIDER ${JSON.stringify(provider)}. ${known}`);
  }
  let loaded: unknown;
  try {
    loaded = await load(packageName);
  } catch (error) {
    if (!isMissingPackage(error, packageName)) {
      throw new ConfigurationError(
        `The adapter package ${packageName} failed to load: ${String(error)}`,
        {
          cause: error,
        },
      );
    }
    const install = `Install it with: npm install ${packageName} (or pnpm add / yarn add).`;
    throw new ConfigurationError(
      builtIn
        ? `DATABASE_PROVIDER=${provider} needs the package ${packageName}, which is not installed. ${install}`
        : `Unknown DATABASE_PROVIDER ${JSON.stringify(provider)}: no package of that name is installed. ${known} ${install}`,
      { cause: error },
    );
  }
  const definition = (loaded as { adapter?: unknown } | undefined)?.adapter;
  if (!isAdapterDefinition(definition)) {
    throw new ConfigurationError(
      `The package ${packageName} is not a Gofannon DB adapter: it has no "adapter" export with provider, settings and create().`,
    );
  }
  return definition;
}

/**
 * The declared settings that are set (non-empty, trimmed), and a problem for each required
 * one that is missing. The provider factory reads every adapter's settings this way.
 */
export function readDeclaredSettings(
  definitions: readonly SettingDefinition[],
  env: Readonly<Record<string, string | undefined>>,
): { settings: Record<string, string>; problems: string[] } {
  const settings: Record<string, string> = {};
  const problems: string[] = [];
  for (const setting of definitions) {
    const value = env[setting.name]?.trim();
    if (value) settings[setting.name] = value;
    else if (setting.required) problems.push(`${setting.name} is not set: ${setting.description}`);
  }
  return { settings, problems };
}

function readTimeout(raw: string | undefined, read: SettingsReader): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (Number.isInteger(value) && value > 0) return value;
  read.problem(
    `DATABASE_TIMEOUT_MS must be a positive whole number of milliseconds, got ${JSON.stringify(raw)}`,
  );
  return undefined;
}

function isMissingPackage(error: unknown, packageName: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const notFound =
    code === 'ERR_MODULE_NOT_FOUND' ||
    code === 'MODULE_NOT_FOUND' ||
    (typeof message === 'string' &&
      /cannot find (package|module)|failed to (load|resolve)/i.test(message));
  return notFound && typeof message === 'string' && message.includes(packageName);
}

function isAdapterDefinition(value: unknown): value is AdapterDefinition {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<AdapterDefinition>;
  return (
    typeof candidate.provider === 'string' &&
    Array.isArray(candidate.settings) &&
    typeof candidate.create === 'function'
  );
}
