import { randomBytes } from 'node:crypto';
import { FirestoreDatabaseService } from '@gofannon/db-firestore';
import {
  firestoreEmulatorFromEnv,
  type GrpcRequestCounter,
  startFirestoreEmulator,
  startGrpcRequestCounter,
} from '@gofannon/test-support';
import { BENCH_HEAP_MB, describeEmulator, resetProject } from '../providers/firestore';
import { expiredDocuments } from './expired-documents';
import type { PurgeBenchSettings, PurgeResult } from './results';

/**
 * The size for the emulator, as the find bench (#17) has it: the emulator loads
 * about 1,000 documents a second on these machines, so 100,000 would spend minutes
 * loading; a smaller `--purge-docs` is used as given.
 */
export const FIRESTORE_PURGE_DOCUMENTS = 20_000;

/** Loading and purging thousands of documents takes longer than the default 10 s. */
const TIMEOUT_MS = 600_000;

/**
 * Google's Firestore emulator (`FIRESTORE_EMULATOR_HOST`, else one started now): one
 * service loads the documents straight to the emulator, and a fresh service times
 * `purgeExpired` through test-support's counting gRPC proxy, which counts every gRPC call
 * of the purge: the queries of 500 documents and the commits deleting each page.
 */
export async function measureFirestorePurge(
  settings: PurgeBenchSettings,
  env: Readonly<Record<string, string | undefined>>,
  print: (line: string) => void,
): Promise<PurgeResult> {
  const documents = Math.min(settings.documents, FIRESTORE_PURGE_DOCUMENTS);
  const emulator =
    firestoreEmulatorFromEnv({ ...env }) ??
    (await startFirestoreEmulator({ heapMb: BENCH_HEAP_MB }));
  let counter: GrpcRequestCounter | undefined;
  const services: FirestoreDatabaseService[] = [];
  // The client looks for Google credentials on its first call: none on the emulator.
  const metadataDetection = process.env.METADATA_SERVER_DETECTION;
  process.env.METADATA_SERVER_DETECTION = 'none';
  try {
    counter = await startGrpcRequestCounter(emulator.host);
    const options = {
      firestore: { projectId: emulator.projectId },
      collectionPrefix: `bench_${randomBytes(6).toString('hex')}_purge_`,
      timeoutMs: TIMEOUT_MS,
    };
    // The client and the adapter's probe read FIRESTORE_EMULATOR_HOST when a service is
    // made: the loader's names the emulator, the purger's the proxy.
    const loader = withEmulatorHost(emulator.host, () => new FirestoreDatabaseService(options));
    services.push(loader);
    const proxyHost = `127.0.0.1:${counter.port}`;
    const purger = withEmulatorHost(proxyHost, () => new FirestoreDatabaseService(options));
    services.push(purger);

    if (documents < settings.documents) {
      print(`firestore: ${documents.toLocaleString('en-US')} documents (capped for the emulator)`);
    }
    for (const items of expiredDocuments(documents, Date.now())) {
      const results = await loader.saveMany('sessions', items);
      const failed = results.find((result) => 'error' in result);
      if (failed) throw new Error(`firestore: loading failed: ${JSON.stringify(failed)}`);
    }
    print('firestore: purging');
    const before = counter.requests();
    const started = process.hrtime.bigint();
    const purged = await purger.purgeExpired('sessions');
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const calls = counter.requests() - before;
    return {
      provider: 'firestore',
      backend: describeEmulator(emulator),
      documents,
      purged,
      seconds,
      roundTripsPer1000: purged === 0 ? calls : (calls * 1000) / purged,
      notes: [
        `${calls} gRPC calls in all, counted by test-support's HTTP/2 proxy: RunQuery pages of 500 expired documents (the expiry field only), each deleted by one Commit of 500 deletes with lastUpdateTime preconditions`,
        `${documents.toLocaleString('en-US')} documents (the issue's size for the emulator; --purge-docs above it is capped)`,
      ],
    };
  } finally {
    for (const service of services) await service.close();
    if (metadataDetection === undefined) delete process.env.METADATA_SERVER_DETECTION;
    else process.env.METADATA_SERVER_DETECTION = metadataDetection;
    try {
      if (emulator.external) await resetProject(emulator);
    } finally {
      await counter?.close();
      await emulator.close();
    }
  }
}

/** Runs `make` with FIRESTORE_EMULATOR_HOST set to `host`, then puts it back. */
function withEmulatorHost<T>(host: string, make: () => T): T {
  const saved = process.env.FIRESTORE_EMULATOR_HOST;
  process.env.FIRESTORE_EMULATOR_HOST = host;
  try {
    return make();
  } finally {
    if (saved === undefined) delete process.env.FIRESTORE_EMULATOR_HOST;
    else process.env.FIRESTORE_EMULATOR_HOST = saved;
  }
}
