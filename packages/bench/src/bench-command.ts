import { parseCliOptions, USAGE } from './cli-options';
import type { FindBenchReport } from './find/results';
import { runFindBench } from './find/run-find-bench';
import { formatFindReport } from './find/table';
import type { HttpBenchReport } from './http/results';
import { runHttpBench } from './http/run-http-bench';
import { formatHttpReport } from './http/table';
import type { MigrateBenchReport } from './migrate/results';
import { runMigrateBench } from './migrate/run-migrate-bench';
import { formatMigrateReport } from './migrate/table';
import type { ScanComparison } from './providers/dynamodb-scans';
import type { PurgeBenchReport } from './purge/results';
import { formatPurgeReport, runPurgeBench } from './purge/run-purge-bench';
import { writeJsonFile, writeJsonReport } from './report/json-file';
import { allTargetsMet, formatSummary } from './report/summary-table';
import { formatReport } from './report/table';
import type { BenchReport } from './results';
import { runBench } from './runner/run-bench';
import {
  formatTelemetryReport,
  runTelemetryBench,
  type TelemetryBenchReport,
} from './telemetry/run-telemetry-bench';

export interface BenchCommandResult {
  /** Absent when only the help was asked for, or with `--migrate` or `--http`. */
  report?: BenchReport;
  /** Present with `--migrate`. */
  migrateReport?: MigrateBenchReport;
  /** Present with `--http`. */
  httpReport?: HttpBenchReport;
  /** Present with `--find`. */
  findReport?: FindBenchReport;
  /** Present with `--purge`. */
  purgeReport?: PurgeBenchReport;
  /** Present with `--telemetry`. */
  telemetryReport?: TelemetryBenchReport;
  /** Present with `--all`: one report per provider, in the order they ran. */
  reports?: BenchReport[];
  /** Present with `--dynamodb-scans`. */
  scans?: ScanComparison;
  file?: string;
  exitCode: number;
}

/** Everything `pnpm bench` does, with its inputs and output passed in so tests can drive it. */
export async function runBenchCommand(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  print: (text: string) => void,
): Promise<BenchCommandResult> {
  const options = parseCliOptions(argv, env);
  if (options.help) {
    print(USAGE);
    return { exitCode: 0 };
  }
  if (options.dynamodbScans !== undefined) {
    const { compareScans } = await import('./providers/dynamodb-scans');
    const scans = await compareScans(options.dynamodbScans, env, print);
    return { scans, exitCode: 0 };
  }
  if (options.purge) {
    print('Measuring purgeExpired, one provider after another:');
    const purgeReport = await runPurgeBench(options.purge, env, print);
    const file = await writeJsonFile(purgeReport, 'purge', purgeReport.startedAt, options.outDir);
    print('');
    print(formatPurgeReport(purgeReport));
    print(`\nResults written to ${file}`);
    const failed = purgeReport.results.some((result) => result.purged !== result.documents);
    return { purgeReport, file, exitCode: options.strict && failed ? 1 : 0 };
  }
  if (options.telemetry) {
    print('Measuring what OpenTelemetry adds to each call, with no SDK and with one:');
    const telemetryReport = await runTelemetryBench(options.telemetry, print);
    const file = await writeJsonFile(
      telemetryReport,
      'telemetry',
      telemetryReport.startedAt,
      options.outDir,
    );
    print('');
    print(formatTelemetryReport(telemetryReport));
    print(`\nResults written to ${file}`);
    return { telemetryReport, file, exitCode: 0 };
  }
  if (options.find) {
    print('Measuring an equality + orderBy query, indexed against unindexed:');
    const findReport = await runFindBench(options.find, env, print);
    const file = await writeJsonFile(findReport, 'find', findReport.startedAt, options.outDir);
    print('');
    print(formatFindReport(findReport));
    print(`\nResults written to ${file}`);
    const failed = findReport.checks.some((check) => !check.passed);
    return { findReport, file, exitCode: options.strict && failed ? 1 : 0 };
  }
  if (options.http) {
    print('Loading the sample API over HTTP, one server process per target:');
    const httpReport = await runHttpBench(options.http, env, print);
    const file = await writeJsonFile(httpReport, 'http', httpReport.startedAt, options.outDir);
    print('');
    print(formatHttpReport(httpReport, options.strict));
    print(`\nResults written to ${file}`);
    return {
      httpReport,
      file,
      exitCode: options.strict && httpReport.goal?.passed === false ? 1 : 0,
    };
  }
  if (options.migrate) {
    print('Measuring db-cli migrate(), one fresh process per row:');
    const migrateReport = await runMigrateBench(options.migrate, env, print);
    const file = await writeJsonFile(
      migrateReport,
      'migrate',
      migrateReport.startedAt,
      options.outDir,
    );
    print('');
    print(formatMigrateReport(migrateReport, options.strict));
    print(`\nResults written to ${file}`);
    const failed = migrateReport.checks.some((check) => !check.passed);
    return { migrateReport, file, exitCode: options.strict && failed ? 1 : 0 };
  }
  if (options.all) {
    const reports: BenchReport[] = [];
    const startedAt = new Date().toISOString();
    for (const settings of options.all) {
      const report = await runBench(settings, env);
      print(`${formatReport(report, options.strict)}\n`);
      reports.push(report);
    }
    const file = await writeJsonFile({ startedAt, reports }, 'all', startedAt, options.outDir);
    print(formatSummary(reports));
    print(`\nResults written to ${file}`);
    return { reports, file, exitCode: options.strict && !allTargetsMet(reports) ? 1 : 0 };
  }
  const report = await runBench(options.settings, env);
  const file = await writeJsonReport(report, options.outDir);
  print(formatReport(report, options.strict));
  print(`\nResults written to ${file}`);
  return { report, file, exitCode: options.strict && !allTargetsMet([report]) ? 1 : 0 };
}
