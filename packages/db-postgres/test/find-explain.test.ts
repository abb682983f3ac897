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
