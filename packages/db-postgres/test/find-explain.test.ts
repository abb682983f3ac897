import { randomCollection } from '@gofannon/db-core/conformance';
import { type PostgresServer, usePostgresServer } from '@gofannon/test-support';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresDatabaseService } from '../src';
import { indexName } from '../src/index-statement';
import { recordStatements, type SentStatement } from './support/statements';

let server: PostgresServer;
let raw: pg.Client;
let db: PostgresDatabaseService;
const collection = randomCollection();
const fields = ['status', 'created_at'];
const query = {
  where: [['status', '==', 'status-3']] as [string, '==', string][],
  orderBy: { field: 'created_at', direction: 'desc' as const },
  limit: 20,
};

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

async function plan(statement: SentStatement): Promise<PlanNode[]> {
  const result = await raw.query(`EXPLAIN (FORMAT JSON) ${statement.text}`, statement.values);
  return nodes(result.rows[0]['QUERY PLAN'][0].Plan as PlanNode);
}

/** Runs one page of the query and answers it with the statements it sent. */
async function pageAndStatements(cursor?: string | null) {
  const recording = recordStatements();
  try {
    const page = await db.find(collection, { ...query, cursor });
    return { page, sent: [...recording.sent] };
  } finally {
    recording.stop();
  }
}

beforeAll(async () => {
  server = await usePostgresServer();
  raw = new pg.Client({ connectionString: server.url });
  await raw.connect();
  db = new PostgresDatabaseService({ connection: { connectionString: server.url } });
  const items = Array.from({ length: 4000 }, (_, i) => ({
    id: `doc-${String(i).padStart(5, '0')}`,
    doc: { status: `status-${i % 10}`, created_at: 1_700_000_000 + ((i * 7919) % 4000) },
  }));
  await db.saveMany(collection, items);
  await db.ensureIndex(collection, { fields });
  // Statistics on the index's expressions, as autovacuum would gather them in time.
  await raw.query(`ANALYZE "${collection}"`);
});
afterAll(async () => {
  await db?.close();
  await raw?.end();
  await server?.close();
});

describe('an indexed query', () => {
  it('runs one statement per page, which PostgreSQL answers from the ensured index', async () => {
    const first = await pageAndStatements();
    expect(first.sent).toHaveLength(1);
    expect(first.page.documents).toHaveLength(20);
    const second = await pageAndStatements(first.page.nextCursor);
    expect(second.sent).toHaveLength(1);
    expect(second.page.documents).toHaveLength(20);

    for (const statement of [first.sent[0], second.sent[0]] as SentStatement[]) {
      expect(statement.text).not.toMatch(/OFFSET/i);
      const planned = await plan(statement);
      const scans = planned.filter((node) => /Index|Bitmap Index/.test(node['Node Type']));
      expect(
        scans.map((node) => [node['Node Type'], node['Index Name']]),
        JSON.stringify(planned.map((node) => node['Node Type'])),
      ).toContainEqual([
        expect.stringMatching(/^(Index Scan|Index Only Scan|Bitmap Index Scan)$/),
        indexName(collection, fields),
      ]);
      // The index gives the rows in the query's order: nothing is sorted.
      expect(planned.map((node) => node['Node Type'])).not.toContain('Sort');
    }
  });

  it('gives the pages the values say: status-3, newest first, ties by id', async () => {
    const { page } = await pageAndStatements();
    const created = page.documents.map((doc) => doc.created_at as number);
    expect(page.documents.every((doc) => doc.status === 'status-3')).toBe(true);
    expect(created).toEqual([...created].sort((a, b) => b - a));
  });
});

/** A service of one connection, and that connection, to ask it what its session holds. */
function serviceWithItsConnection(options: { preparedStatements?: boolean } = {}) {
  const clients: pg.Client[] = [];
  class KeptClient extends pg.Client {
    constructor(config?: string | pg.ClientConfig) {
      super(config);
      clients.push(this);
    }
  }
  const service = new PostgresDatabaseService({
    connection: { connectionString: server.url, Client: KeptClient },
    maxConnections: 1,
    ...options,
  });
  return { service, clients };
}

describe('a query walked page by page', () => {
  it('is planned once per connection (a generic plan), not again at every page', async () => {
    const { service: walker, clients } = serviceWithItsConnection();
    try {
      let cursor: string | null = null;
      for (let page = 0; page < 12; page++) {
        cursor = (await walker.find(collection, { ...query, cursor })).nextCursor;
        expect(cursor).not.toBeNull();
      }
      expect(clients).toHaveLength(1);
      const { rows } = await (clients[0] as pg.Client).query<{
        generic_plans: string;
        custom_plans: string;
      }>(
        `SELECT generic_plans, custom_plans FROM pg_prepared_statements
          WHERE statement LIKE 'SELECT id, rev, doc FROM%' AND statement LIKE '%) < (%'`,
      );
      // The statement of the pages after the first: 11 runs, each on the one plan.
      expect(rows).toHaveLength(1);
      expect(Number(rows[0]?.custom_plans)).toBe(0);
      expect(Number(rows[0]?.generic_plans)).toBe(11);
    } finally {
      await walker.close();
    }
  });

  it('leaves the session alone with prepared statements off (a pooler shares sessions)', async () => {
    const { service, clients } = serviceWithItsConnection({ preparedStatements: false });
    try {
      await service.find(collection, query);
      expect(clients).toHaveLength(1);
      const { rows } = await (clients[0] as pg.Client).query('SHOW plan_cache_mode');
      expect(rows[0].plan_cache_mode).toBe('auto');
    } finally {
      await service.close();
    }
  });
});
