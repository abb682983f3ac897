import { randomBytes } from 'node:crypto';
import { type BackendFindPage, type FindRequest, findByScan } from '@gofannon/db-core';
import { FirestoreDatabaseService } from '@gofannon/db-firestore';
import { firestoreEmulatorFromEnv, startFirestoreEmulator } from '@gofannon/test-support';
import { FieldPath, Firestore, Query } from '@google-cloud/firestore';
import { BENCH_HEAP_MB, describeEmulator, resetProject } from '../providers/firestore';
import { type GrpcWireProxy, startGrpcWireProxy } from '../providers/firestore-wire';
import { findDocuments, findQuery, INDEX_FIELDS, QUERIED_STATUS } from './dataset';
import type { FindBenchSettings, FindProviderResult, FindWalk } from './results';
import { type PageReader, pairedRatio, perPage, timedWalk } from './walk';

/** What `handRatio` compares the adapter with. */
const HAND_NAME = 'raw client query';

/**
 * The size for Firestore (#17): the emulator loads about 1,000 documents a
 * second on these machines, so the general `--find-docs` default (100,000) would spend
 * minutes loading; a smaller `--find-docs` is used as given.
 */
export const FIRESTORE_FIND_DOCUMENTS = 20_000;

/** Loading thousands of documents, or a scan page, takes longer than the default 10 s. */
const TIMEOUT_MS = 600_000;

/**
 * The query on Google's Firestore emulator (`FIRESTORE_EMULATOR_HOST`, else one started
 * now): the adapter's native find, core's scan (the fallback every adapter has, here as
 * the "unindexed" walk), and the raw `@google-cloud/firestore` client's equivalent query
 * on the same collection, alternating walk by walk with the adapter. Everything passes one
 * counting gRPC proxy, for calls per page; reads are counted as Firestore bills them (each
 * document a query returns, at least one per query) on a separate, untimed walk of each.
 */
export async function measureFirestore(
  settings: FindBenchSettings,
  env: Readonly<Record<string, string | undefined>>,
  print: (line: string) => void,
): Promise<FindProviderResult> {
  const documents = Math.min(settings.documents, FIRESTORE_FIND_DOCUMENTS);
  const emulator =
    firestoreEmulatorFromEnv({ ...env }) ??
    (await startFirestoreEmulator({ heapMb: BENCH_HEAP_MB }));
  let proxy: GrpcWireProxy | undefined;
  let restoreEnvironment = () => {};
  const adapters: FirestoreDatabaseService[] = [];
  let raw: Firestore | undefined;
  try {
    proxy = await startGrpcWireProxy(emulator.host);
    // The client takes FIRESTORE_EMULATOR_HOST over its settings: it names the proxy.
    restoreEnvironment = pointClientsAt(proxy.host);
    const prefix = `bench_${randomBytes(6).toString('hex')}_find_`;
    const options = { firestore: { projectId: emulator.projectId }, collectionPrefix: prefix };
    const adapter = new FirestoreDatabaseService({ ...options, timeoutMs: TIMEOUT_MS });
    const scanning = new ScanningFirestoreService({ ...options, timeoutMs: TIMEOUT_MS });
    adapters.push(adapter, scanning);
    raw = new Firestore({ projectId: emulator.projectId });

    print(`firestore: loading ${documents.toLocaleString('en-US')} documents`);
    for (const items of findDocuments(documents, settings.seed)) {
      await adapter.saveMany('tickets', items);
    }
    await adapter.ensureIndex('tickets', { fields: INDEX_FIELDS });

    const reader =
      (service: FirestoreDatabaseService): PageReader =>
      async (cursor) =>
        (await service.find('tickets', { ...findQuery(settings.pageSize), cursor })).nextCursor;
    const readers: Record<string, PageReader> = {
      unindexed: reader(scanning),
      indexed: reader(adapter),
      [HAND_NAME]: rawClientQuery(raw, `${prefix}tickets`, settings.pageSize),
    };

    // Unmeasured first walks: connections opened, the emulator's code warm.
    for (const name of ['indexed', HAND_NAME])
      await timedWalk(readers[name] as PageReader, settings.pages);
    print('firestore: measuring');
    const times: Record<string, number[][]> = { unindexed: [], indexed: [], [HAND_NAME]: [] };
    // Every scan page lists the whole collection: two pages say enough.
    times.unindexed?.push(
      await timedWalk(readers.unindexed as PageReader, Math.min(2, settings.pages)),
    );
    for (let round = 0; round < settings.rounds; round++) {
      // Alternating, so drift on a shared machine lands on both.
      const order = round % 2 === 0 ? ['indexed', HAND_NAME] : [HAND_NAME, 'indexed'];
      for (const name of order) {
        times[name]?.push(await timedWalk(readers[name] as PageReader, settings.pages));
      }
    }

    const walks: FindWalk[] = [];
    const notes: string[] = [];
    for (const [name, read] of Object.entries(readers)) {
      const pages = name === 'unindexed' ? Math.min(2, settings.pages) : settings.pages;
      const examined = await examineWalk(proxy, read, pages);
      notes.push(
        `${name}: ${examined.callsPerPage.toFixed(2)} gRPC calls and ${examined.readsPerPage.toFixed(2)} billed reads per page (${examined.queriesPerPage.toFixed(2)} queries)`,
      );
      walks.push({
        name,
        pages: times[name]?.[0]?.length ?? 0,
        ...perPage(times[name] ?? []),
        examinedPerPage: examined.readsPerPage,
      });
    }
    notes.push(
      `${documents.toLocaleString('en-US')} documents (the issue's size for Firestore; --find-docs above it is capped)`,
    );
    const [unindexed, indexed] = walks as [FindWalk, FindWalk];
    return {
      provider: 'firestore',
      backend: describeEmulator(emulator),
      examinedBy:
        'reads as Firestore bills them (each document a query returns, at least one per query), counted around Query.get on one more untimed walk (2 pages of the scan, whose listing pages are queries too)',
      walks,
      speedup: unindexed.msPerPage / indexed.msPerPage,
      handRatio: pairedRatio(times[HAND_NAME] ?? [], times.indexed ?? []),
      handName: HAND_NAME,
      notes,
    };
  } finally {
    for (const service of adapters) await service.close();
    await raw?.terminate();
    try {
      if (emulator.external) await resetProject(emulator);
    } finally {
      restoreEnvironment();
      await proxy?.close();
      await emulator.close();
    }
  }
}

/** The adapter with every query answered by core's scan: what an adapter without `_find` does. */
class ScanningFirestoreService extends FirestoreDatabaseService {
  protected override _find(
    collection: string,
    request: FindRequest,
    bounded: <T>(work: (signal: AbortSignal) => Promise<T>) => Promise<T>,
  ): Promise<BackendFindPage> {
    return findByScan(
      (after) => bounded((signal) => this._listPage(collection, 1000, after, signal)),
      request,
    );
  }
}

/**
 * What an application would write with the raw client: the same equality and order (ties
 * by document id, as the adapter breaks them), `limit + 1` documents so the extra one says
 * whether more follow, the next page starting after the last document's values. Its cursor
 * is those values as JSON; the documents are not converted.
 */
function rawClientQuery(raw: Firestore, collection: string, pageSize: number): PageReader {
  const query = raw
    .collection(collection)
    .where('status', '==', QUERIED_STATUS)
    .orderBy('created_at', 'desc')
    .orderBy(FieldPath.documentId(), 'desc');
  return async (cursor) => {
    const from = cursor === null ? query : query.startAfter(...(JSON.parse(cursor) as unknown[]));
    const { docs } = await from.limit(pageSize + 1).get();
    const last = docs[pageSize - 1];
    return docs.length > pageSize && last
      ? JSON.stringify([last.get('created_at'), last.id])
      : null;
  };
}

/** One more walk, untimed: gRPC calls through the proxy, and reads as Firestore bills them. */
async function examineWalk(proxy: GrpcWireProxy, read: PageReader, pages: number) {
  const counted = countingQueries();
  proxy.reset();
  try {
    const walked = (await timedWalk(read, pages)).length;
    return {
      callsPerPage: proxy.counts().requests / walked,
      readsPerPage: counted.reads / walked,
      queriesPerPage: counted.queries / walked,
    };
  } finally {
    counted.stop();
  }
}

/**
 * Counts every query the Firestore client runs while it is on, by wrapping `Query.get`
 * (a collection is a query too), and the reads Firestore bills for each: its documents,
 * at least one.
 */
function countingQueries() {
  const prototype = Query.prototype as { get: Query['get'] };
  const original = prototype.get;
  const counted = { reads: 0, queries: 0, stop: () => {} };
  prototype.get = async function (this: Query) {
    const snapshot = await original.call(this);
    counted.queries += 1;
    counted.reads += Math.max(1, snapshot.size);
    return snapshot;
  };
  counted.stop = () => {
    prototype.get = original;
  };
  return counted;
}

/** Points the clients made from now on at `host`, off the metadata server; answers the undo. */
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
