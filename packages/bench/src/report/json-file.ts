import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchReport } from '../results';

/** Writes the report as `<provider>-<timestamp>.json` in `directory` and returns its path. */
export async function writeJsonReport(report: BenchReport, directory: string): Promise<string> {
  await mkdir(directory, { recursive: true });
  const stamp = report.startedAt.replaceAll(':', '-').replace('.', '-');
  const file = join(directory, `${report.settings.provider}-${stamp}.json`);
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
