import { readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { MemoryDatabaseService } from '@gofannon/db-memory';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/run-cli';
import { GOFANNON_COLLECTIONS } from '../src/collections';
import { exportToFile } from '../src/commands/export';
import { importFile } from '../src/commands/import';
import { ExportFileError } from '../src/format/records';
import { captureStream } from './support/capture';
import { gofannonDocuments, seed, snapshot } from './support/documents';
import { useTempDir } from './support/temp-dir';

const tmp = useTempDir();
let goodLines: string[];

beforeAll(async () => {
  const source = new MemoryDatabaseService();
  await seed(source, gofannonDocuments(400));
  await exportToFile({ source, file: tmp.path('good.ndjson') });
  goodLines = (await readFile(tmp.path('good.ndjson'), 'utf8')).trimEnd().split('\n');
});

/** Writes the good export with some lines changed; returns its path. */
async function variant(
  name: string,
  edit: (lines: string[]) => string[],
  gzip = false,
): Promise<string> {
  const text = `${edit([...goodLines]).join('\n')}\n`;
  const path = tmp.path(name);
  await writeFile(path, gzip ? gzipSync(text) : text);
  return path;
}

/** Imports a bad file: expects an error naming `line` (and `problem`), and nothing written. */
async function expectRefused(file: string, line: number, problem: RegExp): Promise<void> {
  const target = new MemoryDatabaseService();
  const error = await importFile({ target, file, batchSize: 10 }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ExportFileError);
  expect((error as ExportFileError).lineNumber).toBe(line);
  expect((error as Error).message).toContain(`line ${line}:`);
  expect((error as Error).message).toMatch(problem);
  expect((await snapshot(target, GOFANNON_COLLECTIONS)).size).toBe(0);
}

describe('a corrupted file is refused before anything is written', () => {
  it('names the line that is not JSON, even near the end of the file', async () => {
    const bad = goodLines.length - 5;
    const file = await variant('bad-json.ndjson', (lines) => {
      lines[bad - 1] = '{"collection":"tickets","id":"t","data":{"status":';
      return lines;
    });
    await expectRefused(file, bad, /not valid JSON/);
  });

  it('the same inside a gzip file', async () => {
    const file = await variant(
      'bad-json.ndjson.gz',
      (lines) => {
        lines[1499] = 'garbage';
        return lines;
      },
      true,
    );
    await expectRefused(file, 1500, /not valid JSON/);
  });

  it.each([
    [
      'an extra field',
      '{"collection":"users","id":"u","data":{},"rev":"1-x"}',
      /exactly "collection", "id" and "data"/,
    ],
    [
      'a missing data field',
      '{"collection":"users","id":"u"}',
      /exactly "collection", "id" and "data"/,
    ],
    [
      'data that is not an object',
      '{"collection":"users","id":"u","data":[1,2]}',
      /"data" must be a JSON object/,
    ],
    [
      'a bad collection name',
      '{"collection":"Users!","id":"u","data":{}}',
      /Invalid collection name/,
    ],
    ['an empty id', '{"collection":"users","id":"","data":{}}', /Invalid document id/],
    ['a JSON array line', '[1,2,3]', /not a JSON object/],
    ['an empty line', '', /empty line/],
  ])('names the line with %s', async (_, text, problem) => {
    const file = await variant(`fields-${problem.source.length}-${text.length}.ndjson`, (lines) => {
      lines[700] = text;
      return lines;
    });
    await expectRefused(file, 701, problem);
  });
});

describe('a bad header is refused', () => {
  it.each([
    ['no header', (lines: string[]) => lines.slice(1), /not a gofannon-db export/],
    [
      'another version',
      (lines: string[]) => [
        lines[0]?.replace('"version":2', '"version":7') ?? '',
        ...lines.slice(1),
      ],
      /unsupported format version 7/,
    ],
    [
      'a header that is not JSON',
      (lines: string[]) => ['gofannon', ...lines.slice(1)],
      /not valid JSON/,
    ],
  ])('%s', async (name, edit, problem) => {
    await expectRefused(await variant(`header-${name.length}.ndjson`, edit), 1, problem);
  });

  it('an empty file', async () => {
    const file = tmp.path('empty.ndjson');
    await writeFile(file, '');
    await expectRefused(file, 1, /empty/);
  });
});

describe('a truncated file is refused', () => {
  it('a gzip file cut short', async () => {
    const file = await variant('cut.ndjson.gz', (lines) => lines, true);
    const { size } = await stat(file);
    await truncate(file, Math.floor(size * 0.6));
    const target = new MemoryDatabaseService();
    const error = await importFile({ target, file }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExportFileError);
    expect((error as Error).message).toMatch(/gzip data ends early: the file is truncated/);
    expect((error as ExportFileError).lineNumber).toBeGreaterThan(1);
    expect((await snapshot(target, GOFANNON_COLLECTIONS)).size).toBe(0);
  });

  it('a plain file cut in the middle of a line', async () => {
    const file = await variant('cut-mid-line.ndjson', (lines) => lines);
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.slice(0, Math.floor(text.length / 2)));
    const lineCount = text.slice(0, Math.floor(text.length / 2)).split('\n').length;
    await expectRefused(file, lineCount, /not valid JSON/);
  });

  it('a plain file cut at a line boundary (no end line)', async () => {
    const file = await variant('cut-at-line.ndjson', (lines) => lines.slice(0, 1000));
    await expectRefused(file, 1001, /ends without its end line: it is truncated/);
  });

  it('an end line that counts other documents, or lines after it', async () => {
    const wrongCount = await variant('wrong-count.ndjson', (lines) => [
      ...lines.slice(0, 1000),
      lines.at(-1) ?? '',
    ]);
    await expectRefused(wrongCount, 1001, /counts \d+ documents but the file holds 999/);
    const after = await variant('after-end.ndjson', (lines) => [...lines, lines[1] ?? '']);
    await expectRefused(after, goodLines.length + 1, /after the end line/);
  });

  it('a file named .gz that is not gzip', async () => {
    const file = await variant('not-gzip.ndjson.gz', (lines) => lines);
    await expectRefused(file, 1, /not valid gzip data/);
  });
});

describe('the command', () => {
  it('exits 1 naming the line and says nothing was imported', async () => {
    const file = await variant('cli-bad.ndjson', (lines) => {
      lines[41] = '{"collection":"agents",';
      return lines;
    });
    const stdout = captureStream();
    const stderr = captureStream();
    const status = await runCli(['import', file, '--quiet'], {
      stdout: stdout.out,
      stderr: stderr.out,
      env: { DATABASE_PROVIDER: 'memory' },
    });
    expect(status).toBe(1);
    expect(stderr.text()).toContain('line 42: not valid JSON');
    expect(stderr.text()).toContain('Nothing was imported.');
  });
});
