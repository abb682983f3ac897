import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../src/format/line-splitter';

const CHUNK = 64 * 1024;

function tooLong(lineNumber: number): Error {
  return new Error(`line ${lineNumber} too long`);
}

/** Feeds `input` in chunks of `size`; returns the lines as text and the splitter. */
function split(input: Buffer, size: number, maxLineBytes = input.length) {
  const splitter = new LineSplitter(maxLineBytes, tooLong);
  const lines: string[] = [];
  for (let at = 0; at < input.length; at += size) {
    for (const line of splitter.push(input.subarray(at, at + size))) lines.push(line.toString());
  }
  const last = splitter.end();
  if (last) lines.push(last.toString());
  return { lines, splitter };
}

describe('LineSplitter', () => {
  it('looks at each byte once, however long the line (no re-scan of what it holds)', () => {
    const input = Buffer.alloc(32 * 1024 * 1024 + 1, 'x');
    input[input.length - 1] = 0x0a;
    const { lines, splitter } = split(input, CHUNK);
    expect(lines.map((line) => line.length)).toEqual([input.length - 1]);
    expect(splitter.bytesScanned).toBe(input.length);
  });

  it('and once with many short lines', () => {
    const input = Buffer.from('ab\n'.repeat(100_000));
    const { lines, splitter } = split(input, 1000);
    expect(lines).toHaveLength(100_000);
    expect(new Set(lines)).toEqual(new Set(['ab']));
    expect(splitter.bytesScanned).toBe(input.length);
  });

  it('splits lines across chunk boundaries, keeps a last line without newline', () => {
    const input = Buffer.from('first\nsé\ncond\n\nlast');
    for (const size of [1, 2, 3, 7, 100]) {
      expect(split(input, size).lines).toEqual(['first', 'sé', 'cond', '', 'last']);
    }
  });

  it('refuses a line longer than the limit as soon as it has seen that much', () => {
    const splitter = new LineSplitter(10, tooLong);
    expect(splitter.push(Buffer.from('0123456789\n01234'))).toHaveLength(1);
    expect(() => splitter.push(Buffer.from('567890'))).toThrow('line 2 too long');
    expect(() => new LineSplitter(3, tooLong).push(Buffer.from('abcd'))).toThrow('line 1 too long');
  });

  it('a line of exactly the limit is fine; the newline does not count', () => {
    const { lines } = split(Buffer.from('0123456789\nabc'), 4, 10);
    expect(lines).toEqual(['0123456789', 'abc']);
  });
});
