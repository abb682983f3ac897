import { describe, expect, it } from 'vitest';
import { EnvFileError, parseEnvText } from '../src/config/env-file';

describe('parseEnvText', () => {
  it('reads KEY=VALUE lines, comments, export, quotes and escapes', () => {
    const text = [
      '# a comment',
      '',
      'DATABASE_PROVIDER=couchdb',
      'export COUCHDB_URL = http://127.0.0.1:5984   # trailing comment',
      "COUCHDB_PASSWORD='p#ss word \\n literal'",
      'NOTE="line one\\nline \\"two\\""',
      'EMPTY=',
      'HASH=a#b',
      'DATABASE_PROVIDER=postgres',
    ].join('\r\n');
    expect(parseEnvText(text)).toEqual({
      DATABASE_PROVIDER: 'postgres',
      COUCHDB_URL: 'http://127.0.0.1:5984',
      COUCHDB_PASSWORD: 'p#ss word \\n literal',
      NOTE: 'line one\nline "two"',
      EMPTY: '',
      HASH: 'a#b',
    });
  });

  it.each([
    ['no equals sign', 'A=1\nJUST_A_WORD\n', 2, /expected KEY=VALUE/],
    ['a bad name', '1ABC=x', 1, /"1ABC" is not a variable name/],
    ['an unclosed quote', 'A=1\n\nB="open', 3, /missing closing "/],
    ['text after the quote', "A='x' y", 1, /unexpected text after the closing quote/],
  ])('names the line of %s', (_, text, line, problem) => {
    let error: unknown;
    try {
      parseEnvText(text, 'my.env');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvFileError);
    expect(error).toMatchObject({ file: 'my.env', lineNumber: line });
    expect((error as Error).message).toMatch(new RegExp(`^my\\.env line ${line}: `));
    expect((error as Error).message).toMatch(problem);
  });
});
