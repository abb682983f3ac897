import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchReport } from '../results';

/** Writes the report as `<provider>-<timestamp>.json` in `directory` and returns its path. */
export function writeJsonReport(report: BenchReport, directory: string): Promise<string> {
  return writeJsonFile(report, report.settings.provider, report.startedAt, directory);
}

/** Writes `data` as `<name>-<timestamp>.json` in `directory` and returns its path. */
export async function writeJsonFile(
  data: unknown,
  name: string,
  startedAt: string,
  directory: string,
): Promise<string> {
  await mkdir(directory, { recursive: true });
  const stamp = startedAt.replaceAll(':', '-').replace('.', '-');
  const file = join(directory, `${name}-${stamp}.json`);
  await writeFile(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}
