import pg from 'pg';

/** The bench's tables on a server (`schema.name`, sorted): none is left once a run has ended. */
export async function benchTables(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      "SELECT schemaname || '.' || tablename AS name FROM pg_tables WHERE starts_with(tablename, 'bench_') ORDER BY 1",
    );
    return rows.map((row) => row.name);
  } finally {
    await client.end();
  }
}
