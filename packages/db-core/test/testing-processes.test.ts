import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  freeLoopbackPort,
  hasExited,
  isBeingStopped,
  onFreeLoopbackPort,
  signalProcess,
  startServerProcess,
  stopChild,
} from '../src/testing';

/** A node process running `script`, ready once it prints "ready". */
function nodeServer(script: string, label = 'test server') {
  return startServerProcess({
    label,
    command: process.execPath,
    args: ['-e', script],
    ready: { output: /^ready$/m },
  });
}

const IDLE = "setInterval(() => {}, 1000); console.log('ready');";

describe('stopChild', () => {
  it('stops a process with the polite signal', async () => {
    const { child } = await nodeServer(IDLE);
    expect(isBeingStopped(child)).toBe(false);
    await stopChild(child, { label: 'sleeper', timeoutMs: 5000 });
    expect(child.signalCode).toBe('SIGTERM');
    expect(isBeingStopped(child)).toBe(true);
  });

  it('falls back to SIGKILL when the polite signal is ignored', async () => {
    // "ready" comes after the handler is installed, so SIGTERM is sure to be ignored. The
    // bound is waited out in full before SIGKILL, and then bounds SIGKILL's exit too.
    const { child } = await nodeServer(`process.on('SIGTERM', () => {}); ${IDLE}`);
    await stopChild(child, { label: 'stubborn', timeoutMs: 1_000 });
    expect(child.signalCode).toBe('SIGKILL');
  });

  it('sends the signal it is given first', async () => {
    const { child } = await nodeServer(IDLE);
    await stopChild(child, { label: 'pg-like', signal: 'SIGINT', timeoutMs: 5000 });
    expect(child.signalCode).toBe('SIGINT');
  });

  it('resolves at once for a process that has already exited', async () => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await new Promise((resolve) => child.once('exit', resolve));
    expect(hasExited(child)).toBe(true);
    await stopChild(child, { label: 'gone', timeoutMs: 10 });
  });
});

describe('signalProcess', () => {
  it('ignores a pid that no longer exists', async () => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    await new Promise((resolve) => child.once('exit', resolve));
    expect(() => signalProcess(child.pid as number, 'SIGTERM')).not.toThrow();
  });

  it('throws for a signal that does not exist', () => {
    expect(() => signalProcess(process.pid, 'SIGNOPE' as NodeJS.Signals)).toThrow();
  });
});

describe('freeLoopbackPort', () => {
  it('gives a port that can be bound on 127.0.0.1', async () => {
    const port = await freeLoopbackPort();
    expect(port).toBeGreaterThan(0);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    await new Promise((resolve) => server.close(resolve));
  });
});

describe('onFreeLoopbackPort', () => {
  it('tries another free port when a start fails', async () => {
    const tried: number[] = [];
    const port = await onFreeLoopbackPort(async (candidate) => {
      tried.push(candidate);
      if (tried.length === 1) throw new Error('EADDRINUSE');
      return candidate;
    });
    expect(tried).toHaveLength(2);
    expect(port).toBe(tried[1]);
  });

  it('gives up after the attempts, with the last error as the cause', async () => {
    let calls = 0;
    const failure = await onFreeLoopbackPort(async () => {
      calls += 1;
      throw new Error(`start ${calls} failed`);
    }, 2).catch((error: Error) => error);
    expect(calls).toBe(2);
    expect(String(failure)).toMatch(/no start succeeded on 2 free ports/);
    expect(String((failure as Error).cause)).toBe('Error: start 2 failed');
  });
});
