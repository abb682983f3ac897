import { ConfigurationError } from '../provider-factory';

/**
 * Reads an adapter's settings from the environment and checks them, collecting every
 * problem so that start-up fails once, with one message that names all of them.
 *
 * ```ts
 * const read = new SettingsReader('couchdb', settings);
 * const url = read.url('COUCHDB_URL');
 * const attempts = read.positiveInteger('COUCHDB_MAX_ATTEMPTS');
 * read.done(); // throws ConfigurationError listing every problem found above
 * ```
 *
 * In an adapter's `create`, take the reader the provider factory hands over with
 * {@link SettingsReader.of}: it already holds the factory's findings (required settings that
 * are missing, a bad `DATABASE_TIMEOUT_MS`), so one error names those and the adapter's own.
 */
export class SettingsReader {
  readonly #provider: string;
  readonly #settings: Readonly<Record<string, string | undefined>>;
  readonly #problems: string[] = [];
  /** Required settings already reported missing, so a second check does not repeat them. */
  readonly #missing = new Set<string>();

  constructor(provider: string, settings: Readonly<Record<string, string | undefined>>) {
    this.#provider = provider;
    this.#settings = settings;
  }

  /** The factory's reader from an adapter's `create` context, or a new one without it. */
  static of(
    provider: string,
    context: { settings: Readonly<Record<string, string>>; read?: SettingsReader },
  ): SettingsReader {
    return context.read ?? new SettingsReader(provider, context.settings);
  }

  /** The trimmed value, or `undefined` when unset or empty. */
  optional(name: string): string | undefined {
    const value = this.#settings[name]?.trim();
    return value ? value : undefined;
  }

  /** The value; a problem ("is not set: ...") when it is missing. */
  required(name: string, description: string): string | undefined {
    const value = this.optional(name);
    if (value === undefined && !this.#missing.has(name)) {
      this.#missing.add(name);
      this.problem(`${name} is not set: ${description}`);
    }
    return value;
  }

  /** The value when it matches `pattern`; else a problem that shows `hint`. */
  matching(name: string, pattern: RegExp, hint: string): string | undefined {
    const value = this.optional(name);
    if (value === undefined || pattern.test(value)) return value;
    this.problem(`${name} must be ${hint}; got ${JSON.stringify(value)}`);
    return undefined;
  }

  /** An http:// or https:// URL; with `credentials: false` one without user or password. */
  url(name: string, options: { credentials?: boolean; example: string }): string | undefined {
    const value = this.optional(name);
    if (value === undefined) return undefined;
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    const protocolOk = url && (url.protocol === 'http:' || url.protocol === 'https:') && url.host;
    const credentialsOk = options.credentials !== false || !(url?.username || url?.password);
    if (protocolOk && credentialsOk) return value;
    // The value itself may carry a password: it is never repeated.
    this.problem(
      `${name} must be an http:// or https:// URL${options.credentials === false ? ' without credentials' : ''}, such as ${options.example}`,
    );
    return undefined;
  }

  /** A whole number above 0. */
  positiveInteger(name: string): number | undefined {
    const raw = this.optional(name);
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (/^\d+$/.test(raw) && Number.isSafeInteger(value) && value > 0) return value;
    this.problem(`${name} must be a positive whole number, got ${JSON.stringify(raw)}`);
    return undefined;
  }

  /** `true` or `false`. */
  boolean(name: string): boolean | undefined {
    const raw = this.optional(name);
    if (raw === undefined) return undefined;
    if (raw === 'true' || raw === 'false') return raw === 'true';
    this.problem(`${name} must be true or false, got ${JSON.stringify(raw)}`);
    return undefined;
  }

  /** Records a problem found by the adapter's own checks; one already recorded is not repeated. */
  problem(message: string): void {
    if (!this.#problems.includes(message)) this.#problems.push(message);
  }

  /** Whether any problem has been recorded. */
  get failed(): boolean {
    return this.#problems.length > 0;
  }

  /** The one {@link ConfigurationError} naming every problem recorded. */
  error(): ConfigurationError {
    return new ConfigurationError(
      `DATABASE_PROVIDER=${this.#provider} cannot start:\n${this.#problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }

  /** Throws {@link error} when a problem has been recorded; else returns. */
  done(): void {
    if (this.failed) throw this.error();
  }
}
