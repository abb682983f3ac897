import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as turnEnd } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TurnBatchedOutput } from '../src/plugins/log-output';

const CHILD = fileURLToPath(new URL('./support/batched-log-child.ts', import.meta.url));

describe('log lines batched by event-loop turn', () => {
  let dir: string;
  let fd: number;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gofannon-log-'));
    file = join(dir, 'log');
    fd = openSync(file, 'w');
  });
  afterEach(() => {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the lines of one turn together, in order, when the turn ends', async () => {
    const output = new TurnBatchedOutput(fd);
    output.write('one\n');
    output.write('two\n');
    output.write('three\n');
    expect(readFileSync(file, 'utf8')).toBe('');
    await turnEnd();
    expect(readFileSync(file, 'utf8')).toBe('one\ntwo\nthree\n');
    output.write('four\n');
    await turnEnd();
    expect(readFileSync(file, 'utf8')).toBe('one\ntwo\nthree\nfour\n');
  });

  it('writes what waits at once when flushed', () => {
    const output = new TurnBatchedOutput(fd);
    output.write('now\n');
    output.flush();
    expect(readFileSync(file, 'utf8')).toBe('now\n');
  });

  it('keeps multi-byte text whole', async () => {
    const output = new TurnBatchedOutput(fd);
    const line = `${JSON.stringify({ msg: 'é€😀'.repeat(5000) })}\n`;
    output.write(line);
    output.write(line);
    await turnEnd();
    expect(readFileSync(file, 'utf8')).toBe(line + line);
  });
});

describe('log lines still waiting when the process leaves', () => {
  for (const [how, code] of [
    ['exit', 0],
    ['throw', 1],
    ['end', 0],
  ] as const) {
    it(`are written when it leaves by ${how}`, async () => {
      const { stdout, exitCode } = await runChild(how);
      expect(exitCode).toBe(code);
      expect(stdout).toBe('{"msg":"first"}\n{"msg":"second"}\n');
    });
  }
});

function runChild(how: string): Promise<{ stdout: string; exitCode: number | null }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, how], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  return new Promise((resolve) => {
    child.once('close', (exitCode) => resolve({ stdout, exitCode }));
  });
}
