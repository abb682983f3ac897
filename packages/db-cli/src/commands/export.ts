import { access } from 'node:fs/promises';
import type { DatabaseService } from '@gofannon/db-core';
import { resolveCollections } from '../collections';
import { countDocuments, listPages } from '../copy/pages';
import { CommandError } from '../errors';
import { ExportWriter } from '../format/ndjson-writer';
import { scanExportFile } from '../format/scan';
import { documentBody } from '../verify/canonical-json';
import { compareDigests } from '../verify/compare';
import { ContentHashes } from '../verify/content-hash';
import {
  type CollectionResult,
  emptyResult,
  type RunOptions,
  type RunSummary,
  summarize,
  type VerifyResult,
  withDefaults,
} from './options';

/** Options of {@link exportToFile}. */
export interface ExportOptions extends Omit<RunOptions, 'concurrency' | 'reportFile'> {
  source: DatabaseService;
  /** The file to write; gzip when the name ends in `.gz`. */
  file: string;
  /** Replace the file when it exists (refused otherwise). */
  force?: boolean;
}

/**
 * Writes collections to an export file, one page in memory at a time. The file appears
 * under its name only once complete; after an error or an interruption no file is left.
 * With `verify`, the finished file is read back and each collection's count and content
 * hash compared with what was read from the source. A dry run reads and counts only.
 */
export async function exportToFile(options: ExportOptions): Promise<RunSummary> {
  const startedAt = Date.now();
  const { source, file } = options;
  const settings = withDefaults(options);
  const { progress, signal } = settings;
  const collections = resolveCollections(options.collections);
  if (!settings.dryRun && !options.force && (await exists(file))) {
    throw new CommandError(`${file} already exists; pass --force to replace it`, {
      status: 409,
      code: 'conflict',
    });
  }

  const writer = settings.dryRun ? undefined : await ExportWriter.open(file, source.provider);
  const hashes = new ContentHashes();
  const results: CollectionResult[] = [];
  let interrupted = false;
  try {
    for (const collection of collections) {
      if (signal?.aborted) {
        interrupted = true;
        break;
      }
      const total = settings.countFirst ? await countDocuments(source, collection) : undefined;
      const result = emptyResult(collection);
      results.push(result);
      progress.begin(collection, total);
      for await (const page of listPages(source, collection, settings.batchSize)) {
        if (signal?.aborted) {
          interrupted = true;
          break;
        }
        for (const doc of page) {
          const data = documentBody(doc);
          await writer?.write(collection, doc._id, data);
          if (settings.verify) hashes.add(collection, doc._id, data);
        }
        result.read += page.length;
        result.written += page.length;
        progress.update(collection, result.written);
      }
      progress.end(collection);
      if (interrupted) break;
    }
    if (interrupted) await writer?.abort();
    else await writer?.finish();
  } catch (error) {
    await writer?.abort();
    throw error;
  }

  let verify: VerifyResult[] | undefined;
  if (settings.verify && !interrupted && !settings.dryRun) {
    const scan = await scanExportFile(file);
    verify = collections.map((collection) =>
      compareDigests(
        collection,
        hashes.digest(collection),
        scan.collections.get(collection) ?? { documents: 0, hash: '0'.repeat(64) },
      ),
    );
  }
  return summarize(
    {
      command: 'export',
      dryRun: settings.dryRun,
      interrupted,
      source: source.provider,
      target: file,
      collections: results,
      ...(verify ? { verify } : {}),
    },
    undefined,
    startedAt,
  );
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
