/**
 * One server under load, in a process of its own so it never shares a core's time with the
 * load generator: `baseline` (bare Fastify over a Map) or `api` (the Gofannon API on the
 * provider the environment names). Seeds the documents, listens on a free loopback port and
 * prints `READY <port>`.
 */
import { buildApp } from '@gofannon/api';
import { createDatabaseService } from '@gofannon/db-core';
import type { FastifyInstance } from 'fastify';
import { buildMapBaselineApp } from './map-baseline-app';
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
    config: { apiToken: undefined, bodyLimit: 1024 * 1024, logLevel: 'warn' },
  });
}

const mode = process.argv[2];
const app = mode === 'baseline' ? buildMapBaselineApp() : await buildApi();
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
if (address === null || typeof address === 'string') throw new Error('not listening on TCP');
console.log(`READY ${address.port}`);
process.once('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});
