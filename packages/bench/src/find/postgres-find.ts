import { randomBytes } from 'node:crypto';
import { PostgresDatabaseService } from '@gofannon/db-postgres';
import { postgresServerFromEnv, startPostgresServer } from '@gofannon/test-support';
import pg from 'pg';
import { DURABLE, describeServer, dropTables } from '../providers/postgres';
import { findDocuments, findQuery, INDEX_FIELDS } from './dataset';
import { type Examined, examinedRows } from './explain';
import { handWrittenQuery } from './hand-sql';
import { recordingClient } from './recording-client';
import type { FindBenchSettings, FindProviderResult, FindWalk } from './results';
import { type PageReader, pairedRatio, perPage, timedWalk } from './walk';

/** Connections of each pool, the adapter's default. */
const POOL_SIZE = 10;

/**
 * The query on PostgreSQL (`POSTGRES_URL`, else a local durable server as the table bench
 * uses): the adapter on a table without the index and on one with it (after ensureIndex
 * and ANALYZE), and the hand-written SQL on the indexed table, alternating walk by walk
 * with the adapter. Documents examined come from a separate, untimed walk of each, every
 * page's statement run again under EXPLAIN (ANALYZE).
 */
export async function measurePostgres(
  settings: FindBenchSettings,
  env: Readonly<Record<string, string | undefined>>,
  print: (line: string) => void,
): Promise<FindProviderResult> {
  const server = postgresServerFromEnv(env) ?? (await startPostgresServer(DURABLE));
  const run = `bench_${randomBytes(6).toString('hex')}_find_`;
  const recorder = recordingClient();
  const connection = { connectionString: server.url, Client: recorder.Client };
  const adapter = new PostgresDatabaseService({
    connection,
    maxConnections: POOL_SIZE,
    tablePrefix: run,
    timeoutMs: 120_000,
  });
  const pool = new pg.Pool({ ...connection, max: POOL_SIZE });
  const raw = new pg.Client({ connectionString: server.url });
  try {
    const backend = await describeServer(server);
    await raw.connect();
    print(`postgres: loading ${settings.documents.toLocaleString('en-US')} documents twice`);
    for (const items of findDocuments(settings.documents, settings.seed)) {
      for (const collection of ['plain', 'indexed']) await adapter.saveMany(collection, items);
    }
    await adapter.ensureIndex('indexed', { fields: INDEX_FIELDS });
    // Statistics as autovacuum would gather them soon after a load.
    for (const collection of ['plain', 'indexed']) await raw.query(`ANALYZE "${run}${collection}"`);

    const reader =
      (collection: string): PageReader =>
      async (cursor) =>
        (await adapter.find(collection, { ...findQuery(settings.pageSize), cursor })).nextCursor;
    const indexedTable = `public."${run}indexed"`;
    const hand = await handWrittenQuery(pool, indexedTable, indexedTable, settings.pageSize);
    const readers: Record<string, PageReader> = {
      unindexed: reader('plain'),
      indexed: reader('indexed'),
      'hand-written SQL': hand.read,
    };

    // Unmeasured first walks: connections opened, JIT warm, pages cached.
    for (const read of Object.values(readers)) await timedWalk(read, settings.pages);
    print('postgres: measuring');
    const times: Record<string, number[][]> = {
      unindexed: [],
      indexed: [],
      'hand-written SQL': [],
    };
    // Every unindexed page scans the whole table: one walk says enough.
    times.unindexed?.push(await timedWalk(readers.unindexed as PageReader, settings.pages));
    for (let round = 0; round < settings.rounds; round++) {
      // Alternating, so drift on a shared machine lands on both.
      const order =
        round % 2 === 0 ? ['indexed', 'hand-written SQL'] : ['hand-written SQL', 'indexed'];
      for (const name of order) {
        times[name]?.push(await timedWalk(readers[name] as PageReader, settings.pages));
      }
    }

    const walks: FindWalk[] = [];
    const plans: string[] = [];
    for (const [name, read] of Object.entries(readers)) {
      const examined = await examineWalk(raw, recorder.record, read, settings.pages);
      plans.push(`${name}: ${[...new Set(examined.flatMap((e) => e.scans))].join(', ')}`);
      walks.push({
        name,
        pages: times[name]?.[0]?.length ?? 0,
        ...perPage(times[name] ?? []),
        examinedPerPage: examined.reduce((total, e) => total + e.rows, 0) / examined.length,
      });
    }
    const [unindexed, indexed] = walks as [FindWalk, FindWalk];
    return {
      provider: 'postgres',
      backend,
      examinedBy: `EXPLAIN (ANALYZE) of each page's statement, rows its table scans returned or filtered out (${plans.join('; ')})`,
      walks,
      speedup: unindexed.msPerPage / indexed.msPerPage,
      handRatio: pairedRatio(times['hand-written SQL'] ?? [], times.indexed ?? []),
      handSql: `${hand.sql.next}`,
    };
  } finally {
    await adapter.close();
    await pool.end();
    await raw.end().catch(() => {});
    try {
      await dropTables(server.url, run);
    } finally {
      await server.close();
    }
  }
}

/** One more walk, untimed, with each page's statement recorded and explained. */
async function examineWalk(
  raw: pg.Client,
  record: ReturnType<typeof recordingClient>['record'],
  read: PageReader,
  pages: number,
): Promise<Examined[]> {
  const { sent } = await record(() => timedWalk(read, pages));
  const examined: Examined[] = [];
  for (const statement of sent) examined.push(await examinedRows(raw, statement));
  return examined;
}
