/**
 * `listAll` of one large DynamoDB table, read by parallel Scan segments against one
 * sequential Scan, both through the adapter (`scanSegments` 4 and 1), on the same table,
 * with HTTP requests counted by the wire proxy. Run it with
 *
 *   pnpm exec tsx --conditions=@gofannon/source src/providers/dynamodb-scans.ts [documents]
 *
 * (default 100,000 documents; `DYNAMODB_ENDPOINT_URL` as for the bench). Prints one line
 * per reader and the speed-up.
 */
import { performance } from 'node:perf_hooks';
import { DynamoDbDatabaseService } from '@gofannon/db-dynamodb';
import { describeServer, openDynamoDbRun } from './dynamodb';
import type { WireProxy } from './wire-proxy';

const COLLECTION = 'scans';
const FILL_BATCH = 5_000;
const ROUNDS = 2;

const documents = Number(process.argv[2] ?? 100_000);
if (!Number.isInteger(documents) || documents < 1) throw new Error('documents: a positive integer');

const session = await openDynamoDbRun(process.env);
try {
  const service = (scanSegments: number) =>
    new DynamoDbDatabaseService({
      client: session.viaProxy,
      tablePrefix: session.run,
      scanSegments,
      timeoutMs: 60_000,
    });
  const writer = service(1);
  console.log(`Backend: ${describeServer(session.server)}`);
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
      const { ms, requests } = await timedListAll(reader, session.proxy);
      await reader.close();
      times.set(segments, Math.min(times.get(segments) ?? Number.POSITIVE_INFINITY, ms));
      console.log(
        `listAll of ${documents.toLocaleString('en-US')} docs, ${segments} segment(s): ${(ms / 1000).toFixed(2)} s, ${requests} requests`,
      );
    }
  }
  const speedup = (times.get(1) as number) / (times.get(4) as number);
  console.log(
    `parallel (4 segments) vs sequential speed-up: ${speedup.toFixed(2)}x (best of ${ROUNDS})`,
  );
} finally {
  await session.close();
}

async function timedListAll(
  reader: DynamoDbDatabaseService,
  proxy: WireProxy,
): Promise<{ ms: number; requests: number }> {
  proxy.reset();
  const start = performance.now();
  const all = await reader.listAll(COLLECTION);
  const ms = performance.now() - start;
  if (all.length !== documents) throw new Error(`listAll returned ${all.length} of ${documents}`);
  return { ms, requests: proxy.counts().requests };
}
