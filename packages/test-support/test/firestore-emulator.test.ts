// Tests of the Firestore emulator fixture itself. The local-emulator block is skipped when
// FIRESTORE_EMULATOR_HOST names another emulator or the jar is missing.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  emulatorJarMissing,
  type FirestoreEmulator,
  firestoreEmulatorFromEnv,
  startFirestoreEmulator,
} from '../src';
import { EMULATOR_JAR, spawnWatchdog } from '../src/firestore/emulator';

const missingEmulator = emulatorJarMissing();

function refused(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('emulator settings', () => {
  it('names the missing jar in one SKIPPED line, unless an emulator is named', () => {
    expect(emulatorJarMissing({}, '/nonexistent/emulator.jar')).toBe(
      'SKIPPED: Firestore integration tests: the emulator jar /nonexistent/emulator.jar is missing and FIRESTORE_EMULATOR_HOST is not set',
    );
    expect(
      emulatorJarMissing({ FIRESTORE_EMULATOR_HOST: '127.0.0.1:8080' }, '/nonexistent.jar'),
    ).toBeUndefined();
    expect(EMULATOR_JAR).toMatch(/cloud-firestore-emulator\.jar$/);
  });

  it('uses FIRESTORE_EMULATOR_HOST as an external emulator it never stops', async () => {
    expect(firestoreEmulatorFromEnv({})).toBeUndefined();
    const external = firestoreEmulatorFromEnv({ FIRESTORE_EMULATOR_HOST: '127.0.0.1:9999' });
    expect(external).toMatchObject({ host: '127.0.0.1:9999', pid: undefined, external: true });
    expect(external?.projectId).toMatch(/^gofannon-test-[0-9a-f]{12}$/);
    expect(firestoreEmulatorFromEnv({ FIRESTORE_EMULATOR_HOST: 'h:1' })?.projectId).not.toBe(
      external?.projectId,
    );
    await expect(external?.stop()).rejects.toThrow(/cannot stop an external emulator/);
    await expect(external?.restart()).rejects.toThrow(/cannot restart an external emulator/);
    await expect(external?.close()).resolves.toBeUndefined();
  });
});

describe.skipIf(missingEmulator || process.env.FIRESTORE_EMULATOR_HOST)('local emulator', () => {
  let emulator: FirestoreEmulator;
  beforeAll(async () => {
    emulator = await startFirestoreEmulator();
  });
  afterAll(async () => {
    await emulator?.close();
  });

  it('listens on 127.0.0.1 only, stops, and restarts on the same port', async () => {
    const port = Number(emulator.host.split(':')[1]);
    expect(emulator.host).toBe(`127.0.0.1:${port}`);
    expect((await fetch(`http://${emulator.host}/`)).status).toBe(200);
    expect(await refused('127.0.0.2', port)).toBe(true);
    const first = emulator.pid as number;
    await emulator.stop();
    expect(emulator.pid).toBeUndefined();
    expect(alive(first)).toBe(false);
    expect(await refused('127.0.0.1', port)).toBe(true);
    await emulator.restart();
    expect(emulator.pid).not.toBe(first);
    expect((await fetch(`http://${emulator.host}/`)).status).toBe(200);
  });

  it('has its JVM killed by the watchdog when the test process goes away', async () => {
    const pid = emulator.pid as number;
    // What happens when this process dies: the watchdog's stdin closes.
    spawnWatchdog(pid).stdin?.end();
    await until(() => !alive(pid), 10_000);
    await emulator.restart();
    expect(emulator.pid).toBeTypeOf('number');
  });

  it('close() stops it for good', async () => {
    const pid = emulator.pid as number;
    await emulator.close();
    expect(alive(pid)).toBe(false);
    await expect(emulator.restart()).rejects.toThrow(/closed/);
  });
});
