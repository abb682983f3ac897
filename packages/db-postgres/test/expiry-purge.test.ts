import { expectDatabaseError, randomCollection } from '@gofannon/db-core/conformance';
import { type PostgresServer, usePostgresServer } from '@gofannon/test-support';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresDatabaseService } from '../src';
import { recordStatements, type SentStatement } from './support/statements';

let server: PostgresServer;
let raw: pg.Client;

/** A plain pg client beside the adapter; it dies quietly when a test stops the server. */
async function connectRaw(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: server.url });
  client.on('error', () => {});
  await client.connect();
  return client;
}

beforeAll(async () => {
  server = await usePostgresServer();
  raw = await connectRaw();
});
afterAll(async () => {
  await raw?.end();
  await server?.close();
});

const MINUTE = 60_000;
/** Every service here runs on this clock, which stands still. */
const NOW = Date.now();

function service() {
  return new PostgresDatabaseService({
    connection: { connectionString: server.url },
    timeoutMs: 5_000,
    clock: () => NOW,
  });
}

/** `count` documents expired a minute ago, saved in chunks: `expired-00000` and on. */
async function saveExpired(db: PostgresDatabaseService, collection: string, count: number) {
  for (let start = 0; start < count; start += 1000) {
    await db.saveMany(
      collection,
      Array.from({ length: Math.min(1000, count - start) }, (_, i) => ({
        id: `expired-${String(start + i).padStart(5, '0')}`,
        doc: { n: start + i },
        expiresAt: NOW - MINUTE,
      })),
    );
  }
}

async function rowCount(table: string, where = 'true'): Promise<number> {
  const result = await raw.query(`SELECT count(*)::int AS n FROM "${table}" WHERE ${where}`);
  return result.rows[0].n as number;
}

/** The statements of a purge: its bounded batches. */
function purgeBatches(sent: SentStatement[]): SentStatement[] {
  return sent.filter((statement) => statement.text.includes('SKIP LOCKED'));
}

describe('purgeExpired', () => {
  it('deletes exactly the expired rows, 1,000 a statement, and not one saved again', async () => {
    const db = service();
    const collection = randomCollection();
    await saveExpired(db, collection, 2_500);
    await db.saveMany(collection, [
      { id: 'later', doc: {}, expiresAt: NOW + MINUTE },
      { id: 'never', doc: {} },
    ]);
    // Expired, then saved again: its row has a new expiry, so the purge leaves it.
    const resaved = await db.save(collection, 'expired-00007', { n: 'again' });
    const recording = recordStatements();
    let purged: number;
    try {
      purged = await db.purgeExpired(collection);
    } finally {
      recording.stop();
    }
    expect(purged).toBe(2_499);
    expect(purgeBatches(recording.sent).map((statement) => statement.values)).toEqual([
      [NOW],
      [NOW],
      [NOW],
    ]);
    expect(await rowCount(collection)).toBe(3);
    expect(await db.get(collection, 'expired-00007')).toMatchObject({
      n: 'again',
      _rev: resaved.rev,
    });
    expect((await db.get(collection, 'later'))._expiresAt).toBe(
      new Date(NOW + MINUTE).toISOString(),
    );
    expect(await db.purgeExpired(collection)).toBe(0);
    expect(await db.purgeExpired(randomCollection())).toBe(0);
    await db.close();
  });

  it('from three processes at once, deletes each row once, also while some are saved again', async () => {
    const collection = randomCollection();
    const loader = service();
    await saveExpired(loader, collection, 6_000);
    const purgers = Array.from({ length: 3 }, () => service());
    // Every 50th document is saved again while the purges run: before its row is purged
    // (it then continues the revision: "2-") or after (it is created anew: "1-").
    const resavedIds = Array.from(
      { length: 120 },
      (_, i) => `expired-${String(i * 50).padStart(5, '0')}`,
    );
    const [counts, resaved] = await Promise.all([
      Promise.all(purgers.map((db) => db.purgeExpired(collection))),
      Promise.all(resavedIds.map((id) => loader.save(collection, id, { n: 'again' }))),
    ]);
    const overwritten = resaved.filter((result) => result.rev.startsWith('2-')).length;
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(6_000 - overwritten);
    expect(await rowCount(collection, 'expires_at IS NOT NULL')).toBe(0);
    expect(await rowCount(collection)).toBe(resavedIds.length);
    const docs = await loader.getMany(collection, resavedIds);
    expect(docs.every((doc) => doc?.n === 'again')).toBe(true);
    await Promise.all([loader, ...purgers].map((db) => db.close()));
  });

  it('walks the partial index, with the generic plan the adapter runs', async () => {
    const db = service();
    const collection = randomCollection();
    await db.saveMany(
      collection,
      Array.from({ length: 20_000 }, (_, i) => ({ id: `live-${i}`, doc: { i } })),
    );
    await saveExpired(db, collection, 300);
    await raw.query(`ANALYZE "${collection}"`);
    const recording = recordStatements();
    try {
      expect(await db.purgeExpired(collection)).toBe(300);
    } finally {
      recording.stop();
    }
    const [batch] = purgeBatches(recording.sent);
    const plan = await explainGeneric(batch as SentStatement);
    const index = await raw.query(
      `SELECT indexname FROM pg_indexes WHERE tablename = $1 AND indexdef LIKE '%(expires_at)%'`,
      [collection],
    );
    const scans = plan.filter((node) =>
      /^(Seq|Index|Index Only|Bitmap Heap|Tid) Scan$/.test(node['Node Type']),
    );
    expect(scans).toContainEqual(
      expect.objectContaining({
        'Node Type': 'Index Scan',
        'Index Name': index.rows[0].indexname,
      }),
    );
    // The batch's rows are then deleted by their ctid, not found again.
    expect(scans.map((node) => node['Node Type']).sort()).toEqual(['Index Scan', 'Tid Scan']);
    await db.close();
  });

  it.skipIf(Boolean(process.env.POSTGRES_URL))(
    'gives 503 while the server is down, and purges once it is back',
    async () => {
      const db = service();
      const collection = randomCollection();
      await saveExpired(db, collection, 10);
      await server.stop();
      try {
        await expectDatabaseError(db.purgeExpired(collection), 'unavailable');
      } finally {
        await server.restart();
      }
      raw = await connectRaw();
      expect(await db.purgeExpired(collection)).toBe(10);
      await db.close();
    },
  );
});

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/** The plan of a statement as a named statement gets it: generic, for any parameter. */
async function explainGeneric(statement: SentStatement): Promise<PlanNode[]> {
  const client = await connectRaw();
  try {
    await client.query('SET plan_cache_mode = force_generic_plan');
    const result = await client.query(`EXPLAIN (FORMAT JSON) ${statement.text}`, statement.values);
    return nodes(result.rows[0]['QUERY PLAN'][0].Plan as PlanNode);
  } finally {
    await client.end();
  }
}
