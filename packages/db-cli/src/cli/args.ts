import { type ParseArgsConfig, parseArgs } from 'node:util';
import { assertCollectionName, isDatabaseError } from '@gofannon/db-core';

/** Wrong command-line usage: exit status 2. */
export class UsageError extends Error {
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
}

export type CommandName = 'export' | 'import' | 'migrate' | 'stats';

/** A parsed command line. */
export interface CommandLine {
  command: CommandName;
  help: boolean;
  /** The FILE argument of export, import and stats. */
  file?: string;
  fromEnv?: string;
  toEnv?: string;
  collections?: string[];
  dryRun: boolean;
  verify: boolean;
  force: boolean;
  batchSize?: number;
  concurrency?: number;
  report?: string;
  quiet: boolean;
  json: boolean;
}

type Options = NonNullable<ParseArgsConfig['options']>;

const OUTPUT: Options = {
  quiet: { type: 'boolean', short: 'q' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};
const SELECT: Options = { collections: { type: 'string' } };
const WRITE: Options = {
  'dry-run': { type: 'boolean' },
  verify: { type: 'boolean' },
  'batch-size': { type: 'string' },
  concurrency: { type: 'string' },
  report: { type: 'string' },
};

const COMMANDS: Record<CommandName, { options: Options; files: [min: number, max: number] }> = {
  export: {
    options: {
      ...OUTPUT,
      ...SELECT,
      'from-env': { type: 'string' },
      force: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      verify: { type: 'boolean' },
      'batch-size': { type: 'string' },
    },
    files: [1, 1],
  },
  import: {
    options: { ...OUTPUT, ...SELECT, ...WRITE, 'to-env': { type: 'string' } },
    files: [1, 1],
  },
  migrate: {
    options: {
      ...OUTPUT,
      ...SELECT,
      ...WRITE,
      'from-env': { type: 'string' },
      'to-env': { type: 'string' },
    },
    files: [0, 0],
  },
  stats: { options: { ...OUTPUT, ...SELECT, 'from-env': { type: 'string' } }, files: [0, 1] },
};

export function isCommandName(value: string | undefined): value is CommandName {
  return value !== undefined && Object.hasOwn(COMMANDS, value);
}

/** Parses the arguments after the command name. Throws {@link UsageError}. */
export function parseCommandLine(command: CommandName, args: readonly string[]): CommandLine {
  const spec = COMMANDS[command];
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...args],
      options: spec.options,
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(
      (error as Error).message.replace(/\. To specify a positional.*$/s, ''),
      command,
    );
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const help = values.help === true;
  const [min, max] = spec.files;
  if (!help && (parsed.positionals.length < min || parsed.positionals.length > max)) {
    const expected =
      max === 0
        ? 'no FILE argument'
        : min === 1
          ? 'one FILE argument'
          : 'at most one FILE argument';
    throw new UsageError(
      `${command} takes ${expected}, got ${parsed.positionals.length}: ${parsed.positionals.join(' ') || '(none)'}`,
      command,
    );
  }
  const line: CommandLine = {
    command,
    help,
    dryRun: values['dry-run'] === true,
    verify: values.verify === true,
    force: values.force === true,
    quiet: values.quiet === true,
    json: values.json === true,
  };
  const file = parsed.positionals[0];
  if (file !== undefined) line.file = file;
  if (typeof values['from-env'] === 'string') line.fromEnv = values['from-env'];
  if (typeof values['to-env'] === 'string') line.toEnv = values['to-env'];
  if (typeof values.report === 'string') line.report = values.report;
  if (typeof values.collections === 'string')
    line.collections = splitList(values.collections, command);
  if (typeof values['batch-size'] === 'string') {
    line.batchSize = integer(values['batch-size'], '--batch-size', 1, 1000, command);
  }
  if (typeof values.concurrency === 'string') {
    line.concurrency = integer(values.concurrency, '--concurrency', 1, 32, command);
  }
  if (line.quiet && line.json)
    throw new UsageError('--quiet and --json cannot be used together', command);
  if (command === 'migrate' && !help && line.fromEnv === undefined && line.toEnv === undefined) {
    throw new UsageError(
      'migrate needs --from-env FILE or --to-env FILE (or both): source and target cannot both be the environment',
      command,
    );
  }
  if (command === 'stats' && line.file !== undefined && line.fromEnv !== undefined) {
    throw new UsageError('stats takes either a FILE or --from-env, not both', command);
  }
  return line;
}

function splitList(raw: string, command: string): string[] {
  const names = raw
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (names.length === 0) throw new UsageError('--collections needs at least one name', command);
  for (const name of names) {
    try {
      assertCollectionName(name);
    } catch (error) {
      if (!isDatabaseError(error)) throw error;
      throw new UsageError(`--collections: ${error.message}`, command);
    }
  }
  return names;
}

function integer(raw: string, flag: string, min: number, max: number, command: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) {
    throw new UsageError(
      `${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`,
      command,
    );
  }
  return value;
}
