import { type CollectionDigest, ContentHashes } from '../verify/content-hash';
import { readExportFile } from './ndjson-reader';
import type { DocumentRecord, ExportHeader } from './records';

/** What a full read of an export file found. */
export interface FileScan {
  header: ExportHeader;
  /** Count and content hash per collection, in the order collections first appear. */
  collections: Map<string, CollectionDigest>;
}

/** Options of {@link scanExportFile}. */
export interface ScanOptions {
  /** Only these collections are counted (all when absent). */
  collections?: ReadonlySet<string>;
  /** Called now and then with the number of documents read so far. */
  onProgress?: (documents: number) => void;
  /** Stops the scan early; the result is then incomplete and the promise rejects. */
  signal?: AbortSignal;
  /** Called with each counted document and its line, in file order. */
  onDocument?: (record: DocumentRecord, lineNumber: number) => void;
}

/**
 * Reads a whole export file once, checking every line, and returns the header and the
 * count and content hash of each collection. Import runs this before writing anything,
 * so a bad line anywhere in the file stops the run before the first write.
 */
export async function scanExportFile(path: string, options: ScanOptions = {}): Promise<FileScan> {
  let header: ExportHeader | undefined;
  const hashes = new ContentHashes();
  const order = new Set<string>();
  let documents = 0;
  const read = readExportFile(path, { onHeader: (h) => (header = h) });
  for await (const { lineNumber, record } of read) {
    if (options.collections && !options.collections.has(record.collection)) continue;
    options.onDocument?.(record, lineNumber);
    order.add(record.collection);
    hashes.add(record.collection, record.id, record.data);
    documents += 1;
    if (documents % 1000 === 0) {
      options.onProgress?.(documents);
      options.signal?.throwIfAborted();
    }
  }
  options.onProgress?.(documents);
  const collections = new Map<string, CollectionDigest>();
  for (const name of order) collections.set(name, hashes.digest(name));
  // readExportFile throws on an empty file, so the header has been seen.
  return { header: header as ExportHeader, collections };
}
