import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PostgresServer, usePostgresServer } from '@gofannon/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBenchCommand } from '../src/bench-command';
import { benchTables } from './support/bench-tables';

describe('pnpm bench --purge on postgres', () => {
  let server: PostgresServer;
  let outDir: string;

  beforeAll(async () => {
    server = await usePostgresServer();
    outDir = await mkdtemp(join(tmpdir(), 'gofannon-bench-purge-postgres-'));
  });
  afterAll(async () => {
    await server?.close();
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('purges every document it loaded, one statement per 1,000, and leaves no table', async () => {
    const tablesBefore = await benchTables(server.url);
    const printed: string[] = [];
    const { purgeReport, exitCode } = await runBenchCommand(
      [
        '--purge',
        '--purge-providers',
        'postgres',
        '--purge-docs',
        '2500',
        '--strict',
        '--out',
        outDir,
      ],
      { POSTGRES_URL: server.url },
      (line) => printed.push(line),
    );
    expect(exitCode).toBe(0);
    const [postgres] = purgeReport?.results ?? [];
    expect(postgres).toMatchObject({ provider: 'postgres', documents: 2500, purged: 2500 });
    // Batches of 1,000, 1,000 and 500: three statements.
    expect(postgres?.roundTripsPer1000).toBeCloseTo((3 / 2500) * 1000);
    expect(postgres?.notes).toContain('0 rows left in the table');
    expect(printed.join('\n')).toMatch(/^postgres +2500 +[\d.]+ +[\d,]+ +1\.2$/m);
    expect(await benchTables(server.url)).toEqual(tablesBefore);
  });
});
