import { readFile, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { MemoryDatabaseService } from '@gofannon/db-memory';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/run-cli';
import { exportToFile } from '../src/commands/export';
import { importFile } from '../src/commands/import';
import { ExportFileError } from '../src/format/records';
import { captureStream } from './support/capture';
import { useTempDir } from './support/temp-dir';

const tmp = useTempDir();
let good: Buffer;

beforeAll(async () => {
  const source = new MemoryDatabaseService();
  await source.saveMany(
    'tickets',
    Array.from({ length: 30 }, (_, i) => ({ id: `t${i}`, doc: { note: `note ${i}`, n: i } })),
  );
  await exportToFile({ source, file: tmp.path('good.ndjson'), collections: ['tickets'] });
  good = await readFile(tmp.path('good.ndjson'));
});

/** The good file with `from` replaced by `to` (bytes) once; returns its path. */
async function changed(name: string, from: string, to: Buffer, gzip = false): Promise<string> {
  const at = good.indexOf(from);
  expect(at).toBeGreaterThan(0);
  const bytes = Buffer.concat([good.subarray(0, at), to, good.subarray(at + from.length)]);
  const path = tmp.path(name);
  await writeFile(path, gzip ? gzipSync(bytes) : bytes);
  return path;
}

/** The line (1-based) of the good file that holds `text`. */
function lineOf(text: string): number {
  return (
    good
      .toString('utf8')
      .split('\n')
      .findIndex((line) => line.includes(text)) + 1
  );
}

async function importError(file: string): Promise<ExportFileError> {
  const target = new MemoryDatabaseService();
  const error = await importFile({ target, file, verify: true }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ExportFileError);
  expect(await target.listAll('tickets')).toEqual([]);
  return error as ExportFileError;
}

describe('the end line carries a SHA-256 of the document lines', () => {
  it('a value changed after export is refused at the end line, nothing written', async () => {
    for (const gzip of [false, true]) {
      const file = await changed(
        `edited-${gzip}.ndjson${gzip ? '.gz' : ''}`,
        'note 17',
        Buffer.from('note 71'),
        gzip,
      );
      const error = await importError(file);
      expect(error.lineNumber).toBe(32);
      expect(error.message).toMatch(/SHA-256 .* differs .*: the file was changed after export/);
    }
  });

  it('the command exits 1 for such a file, even with --verify', async () => {
    const file = await changed('edited-cli.ndjson', 'note 3"', Buffer.from('note 4"'));
    const stdout = captureStream();
    const stderr = captureStream();
    const status = await runCli(['import', file, '--verify', '--quiet'], {
      stdout: stdout.out,
      stderr: stderr.out,
      env: { DATABASE_PROVIDER: 'memory' },
    });
    expect(status).toBe(1);
    expect(stderr.text()).toContain('line 32:');
    expect(stderr.text()).toContain('Nothing was imported.');
  });

  it('the writer puts the version 2 header and the hash in the file', () => {
    const lines = good.toString('utf8').trimEnd().split('\n');
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ format: 'gofannon-db-export', version: 2 });
    expect(JSON.parse(lines.at(-1) ?? '')).toEqual({
      end: { documents: 30, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
  });
});

describe('invalid UTF-8 is refused with its line', () => {
  it.each([
    ['a byte that never starts a character', Buffer.from([0x6e, 0xff, 0x74])],
    ['a character cut short', Buffer.from([0x6e, 0xc3, 0x74])],
    ['an encoded surrogate', Buffer.from([0x6e, 0xed, 0xa0, 0x80])],
  ])('%s', async (_, bytes) => {
    const error = await importError(
      await changed(`utf8-${bytes.length}-${bytes[1]}.ndjson`, 'not', bytes),
    );
    expect(error.lineNumber).toBe(lineOf('note 0"'));
    expect(error.message).toMatch(/not valid UTF-8/);
  });
});

describe('the end line is checked field by field', () => {
  const header =
    '{"format":"gofannon-db-export","version":2,"provider":"memory","exportedAt":"2025-01-31T12:00:00.000Z"}';
  const doc = '{"collection":"tickets","id":"t","data":{}}';
  it.each([
    [
      'a count that is a string',
      '{"end":{"documents":"1"}}',
      /"documents" must be a whole number, found "1"/,
    ],
    [
      'a fractional count',
      '{"end":{"documents":1.5}}',
      /"documents" must be a whole number, found 1.5/,
    ],
    [
      'no hash',
      '{"end":{"documents":1}}',
      /"sha256" must be 64 lowercase hex digits, found nothing/,
    ],
    [
      'a hash that is not hex',
      '{"end":{"documents":1,"sha256":42}}',
      /"sha256" must be 64 lowercase hex digits, found 42/,
    ],
    ['an unknown field', '{"end":{"documents":1,"sha256":"0","more":1}}', /unknown field "more"/],
  ])('%s', async (name, end, problem) => {
    const file = tmp.path(`end-${name.replaceAll(' ', '-')}.ndjson`);
    await writeFile(file, `${header}\n${doc}\n${end}\n`);
    const error = await importError(file);
    expect(error.lineNumber).toBe(3);
    expect(error.message).toMatch(problem);
  });
});

describe('files of format version 1 (no hash) still import', () => {
  it('imports and verifies', async () => {
    const file = tmp.path('version-1.ndjson');
    await writeFile(
      file,
      [
        '{"format":"gofannon-db-export","version":1,"provider":"couchdb","exportedAt":"2025-01-31T12:00:00.000Z"}',
        '{"collection":"agents","id":"5f0c","data":{"name":"WeatherBot","tools":{}}}',
        '{"collection":"users","id":"user_google_123","data":{"basic_info":{"display_name":"Ada"}}}',
        '{"end":{"documents":2}}',
        '',
      ].join('\n'),
    );
    const target = new MemoryDatabaseService();
    const summary = await importFile({ target, file, verify: true });
    expect(summary).toMatchObject({ ok: true, failures: 0 });
    expect((await target.get('users', 'user_google_123'))?.basic_info).toEqual({
      display_name: 'Ada',
    });
  });

  it('but a version 1 end line with fields of version 2 is refused', async () => {
    const file = tmp.path('version-1-hash.ndjson');
    await writeFile(
      file,
      '{"format":"gofannon-db-export","version":1,"provider":"memory","exportedAt":"2025-01-31T12:00:00.000Z"}\n{"end":{"documents":0,"sha256":"00"}}\n',
    );
    const error = await importError(file);
    expect(error.message).toMatch(/line 2: .*unknown field "sha256"/);
  });
});
