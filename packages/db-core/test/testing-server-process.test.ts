import { spawn } from 'node:child_process';
import { createServer, type Socket } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { freeLoopbackPort, signalProcess, startServerProcess } from '../src/testing';
import { watchdogCommand } from '../src/testing/kill-on-exit';

const node = process.execPath;

describe('startServerProcess', () => {
  it('resolves once a line of output matches, and stops the server by pid', async () => {
    const server = await startServerProcess({
      label: 'printer',
      command: node,
      args: [
        '-e',
        "console.error('warming up'); console.log('listening'); setInterval(() => {}, 1000)",
      ],
      ready: { output: /^listening$/m },
    });
    expect(server.pid).toBe(server.child.pid);
    expect(server.output()).toContain('warming up');
    await server.stop();
    expect(server.child.signalCode).toBe('SIGTERM');
  });

  it('resolves once the probe answers true', async () => {
    const port = await freeLoopbackPort();
    const server = await startServerProcess({
      label: 'http server',
      command: node,
      args: [
        '-e',
        `require('node:http').createServer((_, res) => res.end('ok')).listen(${port}, '127.0.0.1')`,
      ],
      ready: {
        probe: async () => (await fetch(`http://127.0.0.1:${port}/`)).status === 200,
        intervalMs: 20,
      },
    });
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('ok');
    await server.stop();
  });

  it('reports a server that exits before it is ready, with its output', async () => {
    const failure = startServerProcess({
      label: 'crasher',
      command: node,
      args: ['-e', "console.error('bad config: port missing'); process.exit(3)"],
      ready: { output: /ready/ },
    });
    await expect(failure).rejects.toThrow(
      /crasher \(pid \d+\) exited before it was ready \(code 3/,
    );
    await expect(failure).rejects.toThrow(/bad config: port missing/);
  });

  it('reports a command that cannot be started', async () => {
    await expect(
      startServerProcess({
        label: 'missing binary',
        command: '/nonexistent/server',
        ready: { output: /ready/ },
      }),
    ).rejects.toThrow(/missing binary could not be started: spawn \/nonexistent\/server ENOENT/);
  });

  it('stops a server that is not ready in time', async () => {
    const failure = await startServerProcess({
      label: 'silent',
      command: node,
      args: ['-e', 'setInterval(() => {}, 1000)'],
      ready: {
        probe: async () => false,
        intervalMs: 20,
      },
      readyTimeoutMs: 300,
    }).catch((error: Error) => error);
    expect(String(failure)).toMatch(/silent \(pid \d+\) was not ready within 300 ms/);
    const pid = Number(/pid (\d+)/.exec(String(failure))?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
  });
});

describe('the kill-on-exit watchdog', () => {
  it('kills the server when the process that started it dies by SIGKILL', async () => {
    // The server holds a connection to this test, so its death is seen as the socket closing.
    const listener = createServer();
    const connected = new Promise<Socket>((resolve) => listener.once('connection', resolve));
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const { port } = listener.address() as { port: number };
    const [command, args] = watchdogCommand(0);
    // The parent starts the server and its watchdog the way killOnExit does, then waits.
    const parentScript = `
      const { spawn } = require('node:child_process');
      const server = spawn(process.execPath, ['-e', "require('node:net').connect(${port}, '127.0.0.1'); setInterval(() => {}, 1000)"], { stdio: 'ignore' });
      const [command, args] = JSON.parse(process.argv[1]);
      args[args.length - 1] = String(server.pid);
      spawn(command, args, { stdio: ['pipe', 'ignore', 'ignore'] });
      console.log('ready ' + server.pid);
      setInterval(() => {}, 1000);`;
    const parent = spawn(node, ['-e', parentScript, JSON.stringify([command, args])], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const serverPid = await new Promise<number>((resolve) => {
      parent.stdout.setEncoding('utf8');
      parent.stdout.on('data', (chunk: string) => {
        const pid = /ready (\d+)/.exec(chunk)?.[1];
        if (pid) resolve(Number(pid));
      });
    });
    // Should the watchdog fail, the server must not outlive the failed test.
    onTestFinished(() => signalProcess(serverPid, 'SIGKILL'));
    const socket = await connected;
    const serverGone = new Promise((resolve) => socket.once('close', resolve));
    socket.on('error', () => {});
    const parentGone = new Promise((resolve) => parent.once('exit', resolve));
    parent.kill('SIGKILL');
    await Promise.all([parentGone, serverGone]);
    expect(parent.signalCode).toBe('SIGKILL');
    listener.close();
  });
});
