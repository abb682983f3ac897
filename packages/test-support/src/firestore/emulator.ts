/**
 * Google's own Firestore emulator for the integration tests of db-firestore, of the packages
 * that run it as a provider (the CLI, the API) and for the benchmark.
 *
 * - `FIRESTORE_EMULATOR_HOST` set: that emulator (or docker-compose service) is used as it
 *   is, with a random project id, so runs do not see each other's data.
 * - Otherwise the emulator jar is started with Java on a free 127.0.0.1 port, one per
 *   call. A small watchdog shell per emulator waits on a pipe from this process and kills
 *   the JVM when this process dies without stopping it (even by SIGKILL).
 * - The jar missing: {@link emulatorJarMissing} says so; the test files skip their
 *   integration tests (db-firestore's global setup prints that reason once, loudly).
 *
 * Typical use in a test file:
 *
 *   let emulator: FirestoreEmulator;
 *   beforeAll(async () => { emulator = await useFirestoreEmulator(); });
 *   afterAll(() => emulator?.close());
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Socket } from 'node:net';
import { externalServerControls } from '../external-server';
import { withLocalServerControls } from '../local-server';
import { freeLoopbackPort } from '../ports';
import { signalProcess, stopChild } from '../processes';
import { emulatorProcessEnv } from './provider-env';

export interface FirestoreEmulator {
  /** `127.0.0.1:PORT`, the value for `FIRESTORE_EMULATOR_HOST`. */
  readonly host: string;
  /** A random project id: this run's data is separate from any other's. */
  readonly projectId: string;
  /** Process id of the local JVM; undefined when stopped or external. */
  readonly pid: number | undefined;
  /** True for the emulator named by `FIRESTORE_EMULATOR_HOST`, which the tests cannot stop. */
  readonly external: boolean;
  /** Kills the local emulator (SIGTERM, then SIGKILL) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts the local emulator again on the same port. Its data starts empty. */
  restart(): Promise<void>;
  /** Stops the local emulator for good; a no-op for an external one. */
  close(): Promise<void>;
}

/** Where the Debian package google-cloud-cli-firestore-emulator puts the jar. */
export const EMULATOR_JAR =
  process.env.FIRESTORE_EMULATOR_JAR ??
  '/usr/lib/google-cloud-sdk/platform/cloud-firestore-emulator/cloud-firestore-emulator.jar';

// Generous: a JVM starting while other test servers start on the same two cores is slow.
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 5_000;
const PORT_ATTEMPTS = 3;
const LOG_TAIL_CHARS = 8_000;

/**
 * The reason the integration tests cannot run here: no external emulator is named and
 * the jar is missing. Undefined when they can run.
 */
export function emulatorJarMissing(
  env: NodeJS.ProcessEnv = process.env,
  jar = EMULATOR_JAR,
): string | undefined {
  if (env.FIRESTORE_EMULATOR_HOST?.trim() || existsSync(jar)) return undefined;
  return `SKIPPED: Firestore integration tests: the emulator jar ${jar} is missing and FIRESTORE_EMULATOR_HOST is not set`;
}

/**
 * Points the Firestore client of this process at an emulator, as the client reads it from
 * the environment, and keeps it off the cloud metadata server.
 */
export function useEmulatorEnvironment(emulator: FirestoreEmulator): void {
  Object.assign(process.env, emulatorProcessEnv(emulator));
}

/** A random project id, valid for Firestore. */
export function randomProjectId(): string {
  return `gofannon-test-${randomBytes(6).toString('hex')}`;
}

/** The emulator named by `FIRESTORE_EMULATOR_HOST`, or undefined when it is not set. */
export function firestoreEmulatorFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): FirestoreEmulator | undefined {
  const host = env.FIRESTORE_EMULATOR_HOST?.trim();
  if (!host) return undefined;
  return {
    host,
    projectId: randomProjectId(),
    ...externalServerControls('emulator', `FIRESTORE_EMULATOR_HOST=${host}`),
  };
}

/** The `FIRESTORE_EMULATOR_HOST` emulator if set, else a freshly started local one. */
export async function useFirestoreEmulator(): Promise<FirestoreEmulator> {
  return firestoreEmulatorFromEnv() ?? (await startFirestoreEmulator());
}

/** Options of {@link startFirestoreEmulator}. */
export interface EmulatorOptions {
  /** Most heap the JVM may use, in MiB (default 1024); it keeps every document in memory. */
  heapMb?: number;
}

/** Starts the emulator jar on a free 127.0.0.1 port. */
export async function startFirestoreEmulator(
  options: EmulatorOptions = {},
): Promise<FirestoreEmulator> {
  const heapMb = options.heapMb ?? 1024;
  if (!existsSync(EMULATOR_JAR))
    throw new Error(`the Firestore emulator jar ${EMULATOR_JAR} is missing`);
  const log = { text: '' };
  let running: Running | undefined;
  let port = 0;
  for (let attempt = 1; !running; attempt++) {
    port = await freeLoopbackPort();
    try {
      running = await launch(port, heapMb, log);
    } catch (error) {
      if (attempt >= PORT_ATTEMPTS) throw error;
    }
  }
  return withLocalServerControls(
    { host: `127.0.0.1:${port}`, projectId: randomProjectId() },
    'Firestore emulator',
    running,
    {
      start: () => launch(port, heapMb, log),
      stop: shutDown,
      pid: (current) => current.java.pid,
    },
  );
}

interface Running {
  java: ChildProcess;
  watchdog: ChildProcess;
}

/** Starts the JVM on `port` with its watchdog; resolves once `GET /` answers 200. */
async function launch(port: number, heapMb: number, log: { text: string }): Promise<Running> {
  const java = spawn(
    'java',
    [
      '-Duser.language=en',
      `-Xmx${heapMb}m`,
      '-cp',
      EMULATOR_JAR,
      'com.google.cloud.datastore.emulator.firestore.CloudFirestore',
      'start',
      '--host=127.0.0.1',
      `--port=${port}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const append = (chunk: Buffer) => {
    log.text = (log.text + chunk.toString('utf8')).slice(-LOG_TAIL_CHARS);
  };
  java.stdout?.on('data', append);
  java.stderr?.on('data', append);
  java.on('error', append.bind(null, Buffer.from('spawn error\n')));
  const watchdog = spawnWatchdog(java.pid);
  const started = { java, watchdog };
  try {
    await waitUntilReady(java, port);
  } catch (error) {
    await shutDown(started);
    throw new Error(
      `The Firestore emulator on port ${port} ${(error as Error).message}\n--- emulator output ---\n${log.text.trim()}`,
    );
  }
  return started;
}

async function waitUntilReady(java: ChildProcess, port: number): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (java.exitCode !== null || java.signalCode !== null) {
      throw new Error(`exited before it was ready (code ${java.exitCode}, ${java.signalCode})`);
    }
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`);
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`was not ready within ${READY_TIMEOUT_MS} ms`);
}

async function shutDown({ java, watchdog }: Running): Promise<void> {
  try {
    await stopChild(java, { label: 'Firestore emulator', timeoutMs: STOP_TIMEOUT_MS });
  } finally {
    if (watchdog.pid !== undefined && watchdog.exitCode === null)
      signalProcess(watchdog.pid, 'SIGKILL');
  }
}

// Waits for EOF on stdin (this process has exited, however it died), then SIGKILLs the JVM
// if that pid still runs the emulator. Ignores the terminal's SIGINT so Ctrl-C cleans up too.
const WATCHDOG_SCRIPT = `
trap '' INT TERM HUP
while read -r _; do :; done
if grep -q cloud-firestore-emulator "/proc/$1/cmdline" 2>/dev/null; then kill -KILL "$1"; fi
`;

/**
 * Starts the watchdog of one JVM: it kills `pid` once its stdin closes, which happens when
 * this process exits however it dies. Exported for the fixture's own test.
 */
export function spawnWatchdog(pid: number | undefined): ChildProcess {
  const watchdog = spawn(
    '/bin/sh',
    ['-c', WATCHDOG_SCRIPT, 'gofannon-firestore-watchdog', String(pid)],
    {
      stdio: ['pipe', 'ignore', 'ignore'],
    },
  );
  watchdog.on('error', () => {});
  watchdog.unref();
  (watchdog.stdin as Socket | null)?.unref();
  return watchdog;
}
