import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  externalServerControls,
  freeLoopbackPort,
  hasExited,
  isBeingStopped,
  signalProcess,
  stopChild,
} from '../src';

function node(script: string) {
  return spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
}

describe('stopChild', () => {
  it('stops a process with the polite signal', async () => {
    const child = node('setInterval(() => {}, 1000)');
    expect(isBeingStopped(child)).toBe(false);
    await stopChild(child, { label: 'sleeper', timeoutMs: 5000 });
    expect(child.signalCode).toBe('SIGTERM');
    expect(isBeingStopped(child)).toBe(true);
  });

  it('falls back to SIGKILL when the polite signal is ignored', async () => {
    const child = node("process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)");
    await new Promise((resolve) => setTimeout(resolve, 300));
    await stopChild(child, { label: 'stubborn', timeoutMs: 300 });
    expect(child.signalCode).toBe('SIGKILL');
  });

  it('resolves at once for a process that has already exited', async () => {
    const child = node('');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(hasExited(child)).toBe(true);
    await stopChild(child, { label: 'gone', timeoutMs: 10 });
  });
});

describe('signalProcess', () => {
  it('ignores a pid that no longer exists', async () => {
    const child = node('');
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

describe('externalServerControls', () => {
  it('refuses to stop or restart a server the tests did not start, naming it', async () => {
    const controls = externalServerControls('emulator', 'FIRESTORE_EMULATOR_HOST=127.0.0.1:1');
    expect(controls).toMatchObject({ pid: undefined, external: true });
    await expect(controls.stop()).rejects.toThrow(
      'cannot stop an external emulator (FIRESTORE_EMULATOR_HOST=127.0.0.1:1)',
    );
    await expect(controls.restart()).rejects.toThrow(/cannot restart an external emulator/);
    await expect(controls.close()).resolves.toBeUndefined();
  });
});
