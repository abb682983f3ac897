/**
 * One server under load, in a process of its own so it never shares a core's time with the
 * load generator: `baseline` (bare Fastify over a Map) or `api` (the Gofannon API on the
 * provider the environment names). Seeds the documents, listens on a free loopback port and
 * prints `READY <port>` on stderr (stdout takes the API's request log, which the bench
 * sends to /dev/null: written, as a server writes its log, but read by nobody).
 *
 * The API runs as deployed, with the bearer token and its request log at level `info`;
 * `GOFANNON_BENCH_API_AUTH=off` and `GOFANNON_BENCH_API_LOG=off` leave either out, and
 * `GOFANNON_BENCH_BASELINE_LOG=on` and `GOFANNON_BENCH_BASELINE_AUTH=on` give the baseline
 * the API's request log and token check, so the bench can say what each costs.
 */
import { buildApp } from '@gofannon/api';
import { createDatabaseService } from '@gofannon/db-core';
import type { FastifyInstance } from 'fastify';
import { buildMapBaselineApp } from './map-baseline-app';
import { BENCH_TOKEN } from './mix';
import { seedDocuments } from './seed-documents';

const SEED_BATCH = 250;

async function buildApi(): Promise<FastifyInstance> {
  const db = await createDatabaseService({ env: process.env });
  const byCollection = new Map<string, Array<{ id: string; doc: object }>>();
  for (const { collection, id, doc } of seedDocuments()) {
    const items = byCollection.get(collection) ?? [];
    items.push({ id, doc });
    byCollection.set(collection, items);
  }
  for (const [collection, items] of byCollection) {
    for (let start = 0; start < items.length; start += SEED_BATCH) {
      const results = await db.saveMany(collection, items.slice(start, start + SEED_BATCH));
      const failed = results.find((result) => 'error' in result);
      if (failed && 'error' in failed) throw failed.error;
    }
  }
  const provider = process.env.DATABASE_PROVIDER ?? 'memory';
  return buildApp({
    db,
    provider,
    config: {
      apiToken: process.env.GOFANNON_BENCH_API_AUTH === 'off' ? undefined : BENCH_TOKEN,
      bodyLimit: 1024 * 1024,
      logLevel: process.env.GOFANNON_BENCH_API_LOG === 'off' ? 'warn' : 'info',
    },
  });
}

const mode = process.argv[2];
const app =
  mode === 'baseline'
    ? buildMapBaselineApp({
        ...(process.env.GOFANNON_BENCH_BASELINE_LOG === 'on' && { requestLog: {} }),
        ...(process.env.GOFANNON_BENCH_BASELINE_AUTH === 'on' && { bearerToken: BENCH_TOKEN }),
      })
    : await buildApi();
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
if (address === null || typeof address === 'string') throw new Error('not listening on TCP');
console.error(`READY ${address.port}`);
process.once('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
