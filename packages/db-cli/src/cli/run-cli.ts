import { ConfigurationError, type DatabaseService, isDatabaseError } from '@gofannon/db-core';
import { exportToFile } from '../commands/export';
import { importFile } from '../commands/import';
import { migrate } from '../commands/migrate';
import type { RunOptions, RunSummary } from '../commands/options';
import { collectStats, fileStats, type StatsSummary } from '../commands/stats';
import { EnvFileError } from '../config/env-file';
import { type OpenedService, openService } from '../config/open-service';
import { CommandError } from '../errors';
import { ExportFileError } from '../format/records';
import { chooseProgress } from '../progress/choose';
import type { ProgressReporter } from '../progress/reporter';
import { type CommandLine, isCommandName, parseCommandLine, UsageError } from './args';
import { HELP, MAIN_HELP } from './help';
import { formatRunSummary, formatStats } from './print';
import { VERSION } from './version';

/** Exit statuses of the command. */
export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/** Where the command reads and writes; the process's own by default. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** The environment a side without an env file is configured from. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Aborted on Ctrl-C: the run stops after the batches in flight. */
  signal?: AbortSignal;
}

/** Runs `gofannon-db` with the arguments after the program name; resolves with the exit status. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h') {
    io.stdout.write(MAIN_HELP);
    return first === undefined ? EXIT.usage : EXIT.ok;
  }
  if (first === '--version' || first === '-v') {
    io.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  if (first === 'help') {
    const topic = rest[0];
    io.stdout.write(isCommandName(topic) ? (HELP[topic] ?? MAIN_HELP) : MAIN_HELP);
    return topic === undefined || isCommandName(topic) ? EXIT.ok : EXIT.usage;
  }
  if (!isCommandName(first)) {
    io.stderr.write(
      `gofannon-db: unknown command ${JSON.stringify(first)}\nRun gofannon-db --help for the commands.\n`,
    );
    return EXIT.usage;
  }

  let line: CommandLine;
  try {
    line = parseCommandLine(first, rest);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(
      `gofannon-db ${first}: ${error.message}\nRun gofannon-db ${first} --help for the options.\n`,
    );
    return EXIT.usage;
  }
  if (line.help) {
    io.stdout.write(HELP[line.command] ?? MAIN_HELP);
    return EXIT.ok;
  }

  const { progress, terminal } = chooseProgress(io.stderr, line);
  try {
    const result = await execute(line, io, progress, terminal);
    progress.close();
    return report(line, io, result);
  } catch (error) {
    progress.close();
    return fail(line, io, error);
  }
}

async function execute(
  line: CommandLine,
  io: CliIo,
  progress: ProgressReporter,
  terminal: boolean,
): Promise<RunSummary | StatsSummary> {
  const opened: OpenedService[] = [];
  const open = async (side: 'source' | 'target', envFile: string | undefined) => {
    try {
      const service = await openService({
        ...(envFile ? { envFile } : {}),
        ...(io.env ? { env: io.env } : {}),
      });
      opened.push(service);
      if (side === 'target' && service.service.provider === 'memory' && !line.dryRun) {
        progress.note(
          'note: the memory provider keeps data in this process only; it is gone when gofannon-db exits.',
        );
      }
      return service.service;
    } catch (error) {
      if (error instanceof ConfigurationError || error instanceof EnvFileError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new CommandError(
        `cannot reach the ${side} (${envFile ?? 'the environment'}): ${reason}`,
        {
          cause: error,
        },
      );
    }
  };
  const run: RunOptions = {
    ...(line.collections ? { collections: line.collections } : {}),
    dryRun: line.dryRun,
    verify: line.verify,
    ...(line.batchSize ? { batchSize: line.batchSize } : {}),
    ...(line.concurrency ? { concurrency: line.concurrency } : {}),
    ...(line.report ? { reportFile: line.report } : {}),
    countFirst: terminal,
    progress,
    ...(io.signal ? { signal: io.signal } : {}),
  };
  try {
    switch (line.command) {
      case 'export':
        return await exportToFile({
          ...run,
          source: await open('source', line.fromEnv),
          file: line.file as string,
          force: line.force,
        });
      case 'import':
        return await importFile({
          ...run,
          target: await open('target', line.toEnv),
          file: line.file as string,
        });
      case 'migrate': {
        const source: DatabaseService = await open('source', line.fromEnv);
        return await migrate({ ...run, source, target: await open('target', line.toEnv) });
      }
      case 'stats': {
        const options = {
          ...(line.collections ? { collections: line.collections } : {}),
          ...(io.signal ? { signal: io.signal } : {}),
        };
        if (line.file !== undefined) return await fileStats(line.file, options);
        return await collectStats(await open('source', line.fromEnv), options);
      }
    }
  } finally {
    await Promise.all(opened.map(({ service }) => service.close().catch(() => {})));
  }
}

function report(line: CommandLine, io: CliIo, result: RunSummary | StatsSummary): number {
  if (line.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  if (result.command === 'stats') {
    if (!line.json && !line.quiet) io.stdout.write(formatStats(result));
    return EXIT.ok;
  }
  if (!line.json && !line.quiet) io.stdout.write(formatRunSummary(result));
  if (line.quiet && !result.ok) {
    const problems: string[] = [];
    if (result.failures > 0)
      problems.push(`${result.failures} document(s) refused; see ${result.reportFile}`);
    if (result.verify?.some((v) => !v.match)) problems.push('verify found differences');
    if (result.interrupted) problems.push('interrupted');
    io.stderr.write(`gofannon-db ${line.command}: ${problems.join('; ')}\n`);
  }
  if (result.interrupted) return EXIT.interrupted;
  return result.ok ? EXIT.ok : EXIT.failed;
}

function fail(line: CommandLine, io: CliIo, error: unknown): number {
  const aborted = io.signal?.aborted === true && (error as Error)?.name === 'AbortError';
  const usage = error instanceof ConfigurationError || error instanceof EnvFileError;
  const status = aborted ? EXIT.interrupted : usage ? EXIT.usage : EXIT.failed;
  let message = aborted
    ? 'interrupted before anything was written'
    : error instanceof Error
      ? error.message
      : String(error);
  if (error instanceof ExportFileError && line.command === 'import')
    message += '\nNothing was imported.';
  if (error instanceof CommandError) {
    if (error.reportFile)
      message += `\nDocuments refused before the stop are listed in ${error.reportFile}.`;
    if (line.command === 'import' || line.command === 'migrate') {
      message +=
        '\nBatches completed before the failure are stored. Run the same command again to finish: documents already there are skipped.';
    }
  }
  io.stderr.write(`gofannon-db ${line.command}: ${message}\n`);
  if (line.json) {
    const detail =
      error instanceof CommandError || isDatabaseError(error)
        ? { status: error.status, code: error.code }
        : {};
    io.stdout.write(
      `${JSON.stringify({ command: line.command, ok: false, error: { message: error instanceof Error ? error.message : String(error), ...detail } }, null, 2)}\n`,
    );
  }
  return status;
}
