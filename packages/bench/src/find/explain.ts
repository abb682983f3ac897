import type pg from 'pg';
import type { SentStatement } from './recording-client';

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

/** What EXPLAIN ANALYZE says one statement read. */
export interface Examined {
  /** Rows the scans of the table produced or threw away: documents examined. */
  rows: number;
  /** The scan nodes, such as "Index Scan (tickets$status,created_at$...)". */
  scans: string[];
}

/**
 * Runs the statement again under EXPLAIN (ANALYZE) and counts the rows its scans of the
 * table examined: rows they returned plus rows their filters removed, times their loops.
 * A Bitmap Index Scan only feeds its Bitmap Heap Scan, which is counted instead.
 */
export async function examinedRows(client: pg.Client, statement: SentStatement): Promise<Examined> {
  const result = await client.query(
    `EXPLAIN (ANALYZE, FORMAT JSON) ${statement.text}`,
    statement.values,
  );
  const nodes = flatten(result.rows[0]['QUERY PLAN'][0].Plan as PlanNode);
  const scans = nodes.filter(
    (node) => node['Node Type'].endsWith('Scan') && node['Node Type'] !== 'Bitmap Index Scan',
  );
  return {
    rows: scans.reduce(
      (total, node) =>
        total +
        (node['Actual Rows'] +
          (node['Rows Removed by Filter'] ?? 0) +
          (node['Rows Removed by Index Recheck'] ?? 0)) *
          node['Actual Loops'],
      0,
    ),
    scans: nodes
      .filter((node) => node['Node Type'].endsWith('Scan'))
      .map((node) => `${node['Node Type']}${node['Index Name'] ? ` (${node['Index Name']})` : ''}`),
  };
}

function flatten(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(flatten)];
}
