import { readFile } from 'node:fs/promises';

/** A line of an env file that cannot be read; the message names the file and line. */
export class EnvFileError extends Error {
  readonly file: string;
  /** Undefined when the file itself cannot be read. */
  readonly lineNumber: number | undefined;

  constructor(file: string, lineNumber: number | undefined, problem: string) {
    super(
      lineNumber === undefined ? `${file}: ${problem}` : `${file} line ${lineNumber}: ${problem}`,
    );
    this.name = 'EnvFileError';
    this.file = file;
    this.lineNumber = lineNumber;
  }
}

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/**
 * Parses dotenv-style text: `KEY=VALUE` lines, blank lines and `#` comments, an optional
 * `export ` before the key, values optionally in single quotes (taken literally) or double
 * quotes (with `\n`, `\t`, `\"` and `\\` escapes). An unquoted value ends at ` #`.
 * No variable expansion. A later line overrides an earlier one.
 */
export function parseEnvText(text: string, file = 'env file'): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const lineNumber = index + 1;
    const body = line.replace(/^export\s+/, '');
    const equals = body.indexOf('=');
    if (equals === -1) throw new EnvFileError(file, lineNumber, 'expected KEY=VALUE');
    const key = body.slice(0, equals).trim();
    if (!KEY.test(key)) {
      throw new EnvFileError(file, lineNumber, `${JSON.stringify(key)} is not a variable name`);
    }
    result[key] = parseValue(body.slice(equals + 1).trim(), file, lineNumber);
  });
  return result;
}

function parseValue(raw: string, file: string, lineNumber: number): string {
  const quote = raw[0];
  if (quote === "'" || quote === '"') {
    const end = findClosingQuote(raw, quote);
    if (end === -1) throw new EnvFileError(file, lineNumber, `missing closing ${quote}`);
    const rest = raw.slice(end + 1).trim();
    if (rest !== '' && !rest.startsWith('#')) {
      throw new EnvFileError(file, lineNumber, 'unexpected text after the closing quote');
    }
    const inner = raw.slice(1, end);
    return quote === "'"
      ? inner
      : inner.replace(/\\(.)/g, (_, c: string) => ESCAPES[c] ?? `\\${c}`);
  }
  const comment = raw.search(/\s#/);
  return (comment === -1 ? raw : raw.slice(0, comment)).trim();
}

function findClosingQuote(raw: string, quote: string): number {
  for (let i = 1; i < raw.length; i++) {
    if (quote === '"' && raw[i] === '\\') i++;
    else if (raw[i] === quote) return i;
  }
  return -1;
}

/** Reads and parses an env file. */
export async function readEnvFile(path: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
    throw new EnvFileError(path, undefined, `cannot be read (${reason})`);
  }
  return parseEnvText(text, path);
}
