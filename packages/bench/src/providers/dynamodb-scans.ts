/**
 * `pnpm bench --dynamodb-scans <n>`: `listAll` of one large DynamoDB table, read by parallel
 * Scan segments against one sequential Scan, both through the adapter (`scanSegments` 4 and
 * 1), on the same table, with HTTP requests counted by the wire proxy
 * (`DYNAMODB_ENDPOINT_URL` as for the bench). Prints one line per reader and the speed-up.
 */
import { performance } from 'node:perf_hooks';
import { DynamoDbDatabaseService } from '@gofannon/db-dynamodb';
import { describeServer, openDynamoDbRun } from './dynamodb';
import type { WireProxy } from './wire-proxy';

const COLLECTION = 'scans';
const FILL_BATCH = 5_000;
const ROUNDS = 2;

/** What `--dynamodb-scans` measured: the best time of each reader, and the speed-up. */
export interface ScanComparison {
  documents: number;
  sequentialMs: number;
  parallelMs: number;
  speedup: number;
}

/**
 * Fills one table with `documents` small documents through the adapter, then times
 * `listAll` with 4 parallel segments and with 1, alternating, best of {@link ROUNDS} each.
 */
export async function compareScans(
  documents: number,
  env: Readonly<Record<string, string | undefined>>,
  print: (line: string) => void,
): Promise<ScanComparison> {
  const session = await openDynamoDbRun(env);
  try {
    const service = (scanSegments: number) =>
      new DynamoDbDatabaseService({
        client: session.viaProxy,
        tablePrefix: session.run,
        scanSegments,
        timeoutMs: 60_000,
      });
    const writer = service(1);
    print(`Backend: ${describeServer(session.server)}`);
    for (let filled = 0; filled < documents; filled += FILL_BATCH) {
      const count = Math.min(FILL_BATCH, documents - filled);
      const items = Array.from({ length: count }, (_, i) => ({
        id: `doc-${filled + i}`,
        doc: { n: filled + i, name: `document ${filled + i}`, tags: ['a', 'b'], done: false },
      }));
      for (const result of await writer.saveMany(COLLECTION, items)) {
        if ('error' in result) throw result.error;
      }
    }
    await writer.close();
    const times = new Map<number, number>();
    // Alternating rounds, best of each: drift on a shared machine lands on both readers.
    for (let round = 0; round < ROUNDS; round++) {
      for (const segments of [1, 4]) {
        const reader = service(segments);
        const { ms, requests } = await timedListAll(reader, session.proxy, documents);
        await reader.close();
        times.set(segments, Math.min(times.get(segments) ?? Number.POSITIVE_INFINITY, ms));
        print(
          `listAll of ${documents.toLocaleString('en-US')} docs, ${segments} segment(s): ${(ms / 1000).toFixed(2)} s, ${requests} requests`,
        );
      }
    }
    const sequentialMs = times.get(1) as number;
    const parallelMs = times.get(4) as number;
    const speedup = sequentialMs / parallelMs;
    print(
      `parallel (4 segments) vs sequential speed-up: ${speedup.toFixed(2)}x (best of ${ROUNDS})`,
    );
    return { documents, sequentialMs, parallelMs, speedup };
  } finally {
    await session.close();
  }
}

async function timedListAll(
  reader: DynamoDbDatabaseService,
  proxy: WireProxy,
  documents: number,
): Promise<{ ms: number; requests: number }> {
  proxy.reset();
  const start = performance.now();
  const all = await reader.listAll(COLLECTION);
  const ms = performance.now() - start;
  if (all.length !== documents) throw new Error(`listAll returned ${all.length} of ${documents}`);
  return { ms, requests: proxy.counts().requests };
}
