export { HEAP_GROWING_PERCENT, limitHeapGrowth } from './cli/heap';
export type { CliIo } from './cli/run-cli';
export { EXIT, runCli } from './cli/run-cli';
export { GOFANNON_COLLECTIONS } from './collections';
export type { ExportOptions } from './commands/export';
export { exportToFile } from './commands/export';
export type { ImportOptions } from './commands/import';
export { importFile } from './commands/import';
export type { MigrateOptions } from './commands/migrate';
export { migrate } from './commands/migrate';
export type { CollectionResult, RunOptions, RunSummary, VerifyResult } from './commands/options';
export type { StatsOptions, StatsSummary } from './commands/stats';
export { collectStats, fileStats } from './commands/stats';
export { EnvFileError, parseEnvText, readEnvFile } from './config/env-file';
export type { OpenedService, ServiceSource } from './config/open-service';
export { loadAdapterPackage, openService } from './config/open-service';
export type { BatchOutcome, DocumentBatch, DocumentInput } from './copy/copy-collection';
export { CommandError } from './errors';
export type { ReadRecord } from './format/ndjson-reader';
export { readExportFile } from './format/ndjson-reader';
export { ExportWriter } from './format/ndjson-writer';
export type { DocumentRecord, ExportHeader, ExportTrailer } from './format/records';
export {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  ExportFileError,
  MAX_LINE_BYTES,
  READABLE_VERSIONS,
} from './format/records';
export type { FileScan } from './format/scan';
export { scanExportFile } from './format/scan';
export { PlainProgress } from './progress/plain-progress';
export type { ProgressReporter } from './progress/reporter';
export { silentProgress } from './progress/reporter';
export { TtyProgress } from './progress/tty-progress';
export type { DocumentFailure } from './report/failures';
export { FailureReport } from './report/failures';
export { canonicalJson } from './verify/canonical-json';
export type { CollectionDigest } from './verify/content-hash';
export { ContentHash } from './verify/content-hash';
