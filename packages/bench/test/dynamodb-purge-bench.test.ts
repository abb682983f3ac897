import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBenchCommand } from '../src/bench-command';

describe('pnpm bench --purge --purge-providers dynamodb', () => {
  let outDir: string;

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'gofannon-bench-dynamodb-purge-'));
  });
  afterAll(async () => {
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('purges every document it loaded, counting the requests on the wire', async () => {
    const printed: string[] = [];
    // No DYNAMODB_ENDPOINT_URL: the bench starts DynamoDB Local and stops it.
    const { purgeReport, exitCode } = await runBenchCommand(
      [
        '--purge',
        '--purge-providers',
        'dynamodb',
        '--purge-docs',
        '600',
        '--strict',
        '--out',
        outDir,
      ],
      {},
      (line) => printed.push(line),
    );
    expect(exitCode).toBe(0);
    const [dynamodb] = purgeReport?.results ?? [];
    expect(dynamodb).toMatchObject({ provider: 'dynamodb', documents: 600, purged: 600 });
    // One Scan page per segment (4) and one conditional DeleteItem per document: 604.
    expect(dynamodb?.roundTripsPer1000).toBeCloseTo((604 * 1000) / 600, 5);
    expect(printed.join('\n')).toMatch(/^dynamodb +600 +[\d.]+ +[\d,]+ +[\d.]+$/m);
  }, 300_000);
});
