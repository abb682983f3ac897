import { randomBytes } from 'node:crypto';
import { PostgresDatabaseService } from '@gofannon/db-postgres';
import { postgresServerFromEnv, startPostgresServer } from '@gofannon/test-support';
import pg from 'pg';
import { recordingClient } from '../find/recording-client';
import { DURABLE, describeServer, dropTables } from '../providers/postgres';
import { expiredDocuments } from './expired-documents';
import type { PurgeBenchSettings, PurgeResult } from './results';

/**
 * PostgreSQL (`POSTGRES_URL`, else a local durable server as the table bench uses): loads
 * the expired documents with saveMany, ANALYZEs the table as autovacuum would after such a
 * load, then times one purgeExpired, counting the statements it sends through a recording
 * pg Client class (every statement is one round trip).
 */
export async function measurePostgresPurge(
  settings: PurgeBenchSettings,
  env: Readonly<Record<string, string | undefined>>,
  print: (line: string) => void,
): Promise<PurgeResult> {
  const server = postgresServerFromEnv(env) ?? (await startPostgresServer(DURABLE));
  const run = `bench_${randomBytes(6).toString('hex')}_purge_`;
  const recorder = recordingClient();
  const adapter = new PostgresDatabaseService({
    connection: { connectionString: server.url, Client: recorder.Client },
    tablePrefix: run,
    timeoutMs: 120_000,
  });
  const raw = new pg.Client({ connectionString: server.url });
  try {
    const backend = await describeServer(server);
    await raw.connect();
    for (const items of expiredDocuments(settings.documents, Date.now())) {
      await adapter.saveMany('sessions', items);
    }
    await raw.query(`ANALYZE "${run}sessions"`);
    print('postgres: purging');
    const started = process.hrtime.bigint();
    const { result: purged, sent } = await recorder.record(() => adapter.purgeExpired('sessions'));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const left = await raw.query(`SELECT count(*)::int AS n FROM "${run}sessions"`);
    return {
      provider: 'postgres',
      backend,
      documents: settings.documents,
      purged,
      seconds,
      roundTripsPer1000: purged === 0 ? sent.length : (sent.length / purged) * 1000,
      notes: [
        `${sent.length} statements (batches of up to 1,000 rows along the partial expiry index, deleted by ctid), counted by a recording pg Client`,
        `${left.rows[0].n} rows left in the table`,
      ],
    };
  } finally {
    await adapter.close();
    await raw.end().catch(() => {});
    try {
      await dropTables(server.url, run);
    } finally {
      await server.close();
    }
  }
}
