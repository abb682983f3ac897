import { writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { MemoryDatabaseService } from '@gofannon/db-memory';
import { describe, expect, it } from 'vitest';
import { importFile } from '../src/commands/import';
import { fileStats } from '../src/commands/stats';
import { ExportWriter } from '../src/format/ndjson-writer';
import { ExportFileError, MAX_LINE_BYTES } from '../src/format/records';
import { useTempDir } from './support/temp-dir';

const tmp = useTempDir();
const HEADER =
  '{"format":"gofannon-db-export","version":2,"provider":"memory","exportedAt":"2025-01-31T12:00:00.000Z"}';

describe('line length', () => {
  it('is 8 MiB, the largest document a built-in adapter stores, plus 64 KiB for the rest of the line', () => {
    expect(MAX_LINE_BYTES).toBe(8 * 1024 * 1024 + 64 * 1024);
  });

  it('a document as large as any adapter stores fits on a line', async () => {
    const file = tmp.path('largest.ndjson');
    const writer = await ExportWriter.open(file, 'memory');
    const big = 'é'.repeat(1000) + 'x'.repeat(8 * 1024 * 1024 - 2000 - 10);
    await writer.write('agents', `${'\u0001'.repeat(100)}${'a'.repeat(412)}`, { code: big });
    await writer.finish();
    expect((await fileStats(file)).total).toBe(1);
  });

  it('a longer line is refused with its number and the limit', async () => {
    const file = tmp.path('too-long.ndjson');
    const doc = JSON.stringify({
      collection: 'agents',
      id: 'a',
      data: { code: 'x'.repeat(MAX_LINE_BYTES) },
    });
    await writeFile(file, `${HEADER}\n{"collection":"agents","id":"b","data":{}}\n${doc}\n`);
    const target = new MemoryDatabaseService();
    const error = await importFile({ target, file }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExportFileError);
    expect((error as ExportFileError).lineNumber).toBe(3);
    expect((error as Error).message).toContain(
      'line 3: the line is longer than 8454144 bytes, the longest a document line can be',
    );
    expect(await target.listAll('agents')).toEqual([]);
  });

  it('a gzip bomb of one repeated character (64 MiB in 65 KB) stops at the limit', async () => {
    const file = tmp.path('bomb.ndjson.gz');
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 'a'), { level: 9 });
    expect(bomb.length).toBeLessThan(70_000);
    await writeFile(file, bomb);
    const error = await fileStats(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExportFileError);
    expect((error as ExportFileError).lineNumber).toBe(1);
    expect((error as Error).message).toMatch(/line 1: the line is longer than 8454144 bytes/);
  });
});
