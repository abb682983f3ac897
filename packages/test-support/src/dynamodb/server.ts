/**
 * DynamoDB for the integration tests: AWS's own DynamoDB Local.
 *
 * - `DYNAMODB_ENDPOINT_URL` set: that endpoint is used as it is (a docker-compose DynamoDB
 *   Local, or AWS itself), and the tests never stop it.
 * - Otherwise DynamoDB Local 1.25.1 is started as a child process on a free 127.0.0.1
 *   port, in memory, with one shared database and telemetry off. Its jar comes from the npm
 *   tarball of amplify-dynamodb-simulator@2.9.30 (`emulator/` only), fetched with `npm pack`
 *   on first use and kept in `node_modules/.cache/dynamodb-local` of this package, with
 *   `Launcher.java` (beside this file, binds the server to 127.0.0.1 only) compiled there
 *   by Java 17's javac.
 *
 * Typical use:
 *
 *   let dynamo: DynamoServer;
 *   beforeAll(async () => { dynamo = await useDynamoServer(); });
 *   afterAll(() => dynamo?.close());
 *   new DynamoDBClient(dynamoClientConfig(dynamo));
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { externalServerControls } from '../external-server';
import { withLocalServerControls } from '../local-server';
import { freeLoopbackPort } from '../ports';
import { isBeingStopped, killOnExit, stopChild } from '../processes';

export interface DynamoServer {
  /** `http://127.0.0.1:PORT`, or `DYNAMODB_ENDPOINT_URL`. */
  readonly endpoint: string;
  /** Process id of the local server; a new one after `restart()`. Undefined for an external one. */
  readonly pid?: number;
  /** True for the endpoint named by `DYNAMODB_ENDPOINT_URL`, which the tests cannot stop. */
  readonly external: boolean;
  /** Stops the local server (SIGTERM, then SIGKILL) and waits until it has exited. */
  stop(): Promise<void>;
  /**
   * Starts the local server again on the same port. It runs with `-inMemory`, so it comes
   * back empty: every table and item is gone.
   */
  restart(): Promise<void>;
  /** Stops the local server for good; a no-op for an external endpoint. */
  close(): Promise<void>;
}

const SIMULATOR = 'amplify-dynamodb-simulator@2.9.30';
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CACHE = join(PACKAGE_ROOT, 'node_modules', '.cache', 'dynamodb-local');
const EMULATOR = join(CACHE, 'emulator');
const LAUNCHER = fileURLToPath(new URL('./Launcher.java', import.meta.url));
// Generous: a JVM starting while other test servers start on the same two cores is slow.
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 5_000;
const STDERR_TAIL_CHARS = 8_000;

/**
 * What an AWS SDK `DynamoDBClient` needs to reach a test server: a `DynamoDBClientConfig`,
 * spelled out here so that this package does not depend on the SDK for one type.
 */
export interface DynamoClientSettings {
  endpoint: string;
  region: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** Client settings for a test server: its endpoint, a region and DynamoDB Local's fake credentials. */
export function dynamoClientConfig(server: DynamoServer): DynamoClientSettings {
  const region = process.env.DYNAMODB_REGION?.trim() || 'us-east-1';
  // An external endpoint with real credentials in the environment gets the standard chain.
  if (server.external && process.env.AWS_ACCESS_KEY_ID)
    return { endpoint: server.endpoint, region };
  return {
    endpoint: server.endpoint,
    region,
    // DynamoDB Local accepts any credentials made of letters and digits.
    credentials: { accessKeyId: 'fakeKey', secretAccessKey: 'fakeSecret' },
  };
}

/** The endpoint named by `DYNAMODB_ENDPOINT_URL`, or undefined when it is not set. */
export function dynamoServerFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): DynamoServer | undefined {
  const endpoint = env.DYNAMODB_ENDPOINT_URL?.trim();
  if (!endpoint) return undefined;
  return {
    endpoint,
    ...externalServerControls('DynamoDB', `DYNAMODB_ENDPOINT_URL=${endpoint}`),
  };
}

/** The `DYNAMODB_ENDPOINT_URL` endpoint if set, else a freshly started DynamoDB Local. */
export async function useDynamoServer(): Promise<DynamoServer> {
  return dynamoServerFromEnv() ?? (await startDynamoServer());
}

/** Starts DynamoDB Local on a free 127.0.0.1 port, fetching it first if needed. */
export async function startDynamoServer(): Promise<DynamoServer> {
  const emulator = await dynamoDbLocal();
  const launcher = await compiledLauncher(emulator);
  let port = 0;
  let child: ChildProcess | undefined;
  // Another process may take the free port before Java binds it: try a few ports.
  for (let attempt = 1; !child; attempt++) {
    port = await freeLoopbackPort();
    try {
      child = await spawnServer(emulator, launcher, port);
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
  return withLocalServerControls(
    { endpoint: `http://127.0.0.1:${port}` },
    'DynamoDB Local test server',
    child,
    {
      start: () => spawnServer(emulator, launcher, port),
      stop: stopServer,
      pid: (running) => running.pid,
    },
  );
}

/**
 * The folder holding DynamoDBLocal.jar and DynamoDBLocal_lib, fetched once. Two test
 * processes may fetch at the same time: each extracts into its own temporary folder and
 * renames it into place; the loser of the rename keeps the winner's copy.
 */
export async function dynamoDbLocal(): Promise<string> {
  if (existsSync(join(EMULATOR, 'DynamoDBLocal.jar'))) return EMULATOR;
  await mkdir(CACHE, { recursive: true });
  const work = await mkdtemp(join(CACHE, 'fetch-'));
  try {
    const run = promisify(execFile);
    const { stdout } = await run('npm', ['pack', SIMULATOR, '--json', '--pack-destination', work], {
      cwd: work,
      maxBuffer: 16 * 1024 * 1024,
    });
    const [packed] = JSON.parse(stdout) as Array<{ filename: string }>;
    if (!packed) throw new Error(`npm pack ${SIMULATOR} printed no file name`);
    await run('tar', ['xzf', join(work, packed.filename), '-C', work, 'package/emulator']);
    try {
      await rename(join(work, 'package', 'emulator'), EMULATOR);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  if (!existsSync(join(EMULATOR, 'DynamoDBLocal.jar'))) {
    throw new Error(`${SIMULATOR} has no emulator/DynamoDBLocal.jar`);
  }
  return EMULATOR;
}

/**
 * The folder of the compiled `Launcher.class`, named after a hash of its source so an edit
 * compiles it again. Compiled once (a second each JVM start saved), into a temporary folder
 * renamed into place, so concurrent test processes do not see a half-written class.
 */
async function compiledLauncher(emulator: string): Promise<string> {
  const source = await readFile(LAUNCHER);
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const classes = join(CACHE, `launcher-${hash}`);
  if (existsSync(join(classes, 'Launcher.class'))) return classes;
  const work = await mkdtemp(join(CACHE, 'compile-'));
  try {
    await promisify(execFile)('javac', ['-cp', classPath(emulator), '-d', work, LAUNCHER]);
    await rename(work, classes).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return classes;
}

function classPath(emulator: string, ...more: string[]): string {
  return [
    ...more,
    join(emulator, 'DynamoDBLocal.jar'),
    join(emulator, 'DynamoDBLocal_lib', '*'),
  ].join(':');
}

async function spawnServer(
  emulator: string,
  launcher: string,
  port: number,
): Promise<ChildProcess> {
  const child = spawn(
    'java',
    [
      `-Djava.library.path=${join(emulator, 'DynamoDBLocal_lib')}`,
      '-Xmx1g',
      '-cp',
      classPath(emulator, launcher),
      'Launcher',
      '-port',
      String(port),
      '-inMemory',
      '-sharedDb',
      '-disableTelemetry',
    ],
    { cwd: emulator, stdio: ['pipe', 'ignore', 'pipe'] },
  );
  killOnExit(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS);
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  child.on('error', () => {});
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (exited || child.pid === undefined) {
      throw new Error(
        `DynamoDB Local exited before it was ready on port ${port}\n${stderr.trim()}`,
      );
    }
    // DynamoDB Local answers a plain GET with 400 once it is up.
    const status = await fetch(`http://127.0.0.1:${port}/`).then(
      (reply) => reply.status,
      () => 0,
    );
    if (status === 400) break;
    if (Date.now() > deadline) {
      await stopServer(child);
      throw new Error(
        `DynamoDB Local was not ready within ${READY_TIMEOUT_MS} ms\n${stderr.trim()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.once('exit', (code, sig) => {
    if (isBeingStopped(child)) return;
    process.stderr.write(
      `DynamoDB Local pid ${child.pid} (port ${port}) died: code ${code}, signal ${sig}\n${stderr.trim()}\n`,
    );
  });
  return child;
}

/** SIGTERM by pid, SIGKILL if it has not exited after STOP_TIMEOUT_MS; resolves once it has exited. */
function stopServer(child: ChildProcess): Promise<void> {
  return stopChild(child, { label: 'DynamoDB Local', timeoutMs: STOP_TIMEOUT_MS });
}
