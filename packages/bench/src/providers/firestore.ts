import { randomBytes } from 'node:crypto';
import { FirestoreDatabaseService } from '@gofannon/db-firestore';
import {
  type FirestoreEmulator,
  firestoreEmulatorFromEnv,
  startFirestoreEmulator,
} from '@gofannon/test-support';
import { Firestore } from '@google-cloud/firestore';
import { everyOperation, type ThroughputGoal } from '../results';
import { FirestoreBaseline } from '../targets/firestore-baseline';
import { startGrpcWireProxy } from './firestore-wire';
import type { BenchProvider } from './registry';

/** Every operation at least 0.9 of the baseline's throughput. */
export const throughputGoals: readonly ThroughputGoal[] = everyOperation(0.9);

/** One saveMany call must beat as many single saves by at least this factor. */
const MIN_SAVE_MANY_SPEEDUP = 10;

/**
 * The emulator keeps every document in its heap; a run writes some 100,000 of them, and at
 * the tests' 1 GiB the JVM spends much of the run collecting garbage, which lands on both
 * targets but buries the differences between them.
 */
export const BENCH_HEAP_MB = 2048;

/**
 * Readies Firestore for one run: the `FIRESTORE_EMULATOR_HOST` emulator when set, else
 * Google's emulator started now, with a random project id either way. Both targets reach
 * it through one counting proxy (`FIRESTORE_EMULATOR_HOST` of this process points at the
 * proxy, and `METADATA_SERVER_DETECTION=none` keeps the client off the network), each in
 * collections of its own random prefix; `close()` deletes the run's data on an external
 * emulator, then stops the proxy and the local emulator.
 */
export async function openFirestoreProvider(
  env: Readonly<Record<string, string | undefined>>,
): Promise<BenchProvider> {
  const emulator =
    firestoreEmulatorFromEnv({ ...env }) ??
    (await startFirestoreEmulator({ heapMb: BENCH_HEAP_MB }));
  let proxy: Awaited<ReturnType<typeof startGrpcWireProxy>>;
  try {
    proxy = await startGrpcWireProxy(emulator.host);
  } catch (error) {
    await emulator.close();
    throw error;
  }
  const restoreEnvironment = pointClientsAt(proxy.host);
  const run = `bench_${randomBytes(6).toString('hex')}_`;
  const firestore = { projectId: emulator.projectId };

  return {
    backend: describeEmulator(emulator),
    throughputGoals,
    wire: proxy,
    extras: { minSaveManySpeedup: MIN_SAVE_MANY_SPEEDUP },
    makeAdapter: () =>
      new FirestoreDatabaseService({ firestore, collectionPrefix: `${run}adapter_` }),
    makeBaseline: () => new FirestoreBaseline(new Firestore(firestore), `${run}raw_`),
    async close() {
      try {
        if (emulator.external) await resetProject(emulator);
      } finally {
        restoreEnvironment();
        await proxy.close();
        await emulator.close();
      }
    },
  };
}

/**
 * Points every Firestore client this process makes at `host` (the client reads
 * `FIRESTORE_EMULATOR_HOST` itself) and keeps them off the metadata server; returns a
 * function that puts both variables back as they were.
 */
function pointClientsAt(host: string): () => void {
  const saved = {
    FIRESTORE_EMULATOR_HOST: process.env.FIRESTORE_EMULATOR_HOST,
    METADATA_SERVER_DETECTION: process.env.METADATA_SERVER_DETECTION,
  };
  process.env.FIRESTORE_EMULATOR_HOST = host;
  process.env.METADATA_SERVER_DETECTION = 'none';
  return () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

export function describeEmulator(emulator: FirestoreEmulator): string {
  const project = `project ${emulator.projectId}`;
  return emulator.external
    ? `Firestore emulator at ${emulator.host} (FIRESTORE_EMULATOR_HOST), ${project}`
    : `local Firestore emulator (Google's jar) at ${emulator.host}, pid ${emulator.pid}, ${project}`;
}

/** Deletes every document of the run's project: the emulator's reset endpoint. */
export async function resetProject(emulator: FirestoreEmulator): Promise<void> {
  const url = `http://${emulator.host}/emulator/v1/projects/${emulator.projectId}/databases/(default)/documents`;
  const response = await fetch(url, { method: 'DELETE' });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`resetting the emulator's project answered ${response.status}`);
}
