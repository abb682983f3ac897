import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { emulatorJarMissing, isAlive } from '@gofannon/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { runBenchCommand } from '../src/bench-command';
import { expectServerTable } from './support/report-checks';
import { smallRun } from './support/small-run';

const SMALL_RUN = smallRun('firestore');
const RUN_TIMEOUT_MS = 180_000;

// The run starts its own emulator: it needs the jar whatever FIRESTORE_EMULATOR_HOST says.
describe.skipIf(emulatorJarMissing({}))('pnpm bench --provider firestore', () => {
  let outDir: string | undefined;
  afterEach(async () => {
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it(
    'measures adapter and raw client on one emulator, with gRPC calls counted on the wire',
    async () => {
      outDir = await mkdtemp(join(tmpdir(), 'gofannon-bench-firestore-'));
      const before = { ...process.env };
      const printed: string[] = [];

      const { report, file, exitCode } = await runBenchCommand(
        [...SMALL_RUN, '--out', outDir],
        {},
        (text) => printed.push(text),
      );

      expect(exitCode).toBe(0);
      expect(report?.settings).toMatchObject({
        provider: 'firestore',
        bulkDocs: 30,
        listDocs: 1200,
      });
      // One call per operation, 2 per update (its read, then the commit at its revision),
      // on the adapter's side too: a write at a revision and a delete read nothing first
      // (see the db-firestore README's calls per operation).
      expectServerTable(report, 'rpc/op');
      // 30 upserts are one batched commit.
      expect(report?.extras?.saveMany).toMatchObject({
        documents: 30,
        saveManyRequests: 1,
        singleSaveRequests: 30,
        minSpeedup: 10,
      });
      // Pages of 1000: two queries.
      expect(report?.extras?.listAll).toMatchObject({ documents: 1200, requests: 2 });
      expect(report?.extras?.listAll?.largestResponseBytes).toBeLessThan(
        report?.extras?.listAll?.responseBytes ?? 0,
      );

      expect(basename(file ?? '')).toMatch(/^firestore-.+\.json$/);
      expect(JSON.parse(await readFile(file ?? '', 'utf8'))).toEqual(report);
      const output = printed.join('\n');
      expect(output).toMatch(/^operation .*adapter ops\/s .*rpc\/op .*baseline ops\/s .*rpc\/op/m);
      expect(output).toMatch(
        /^ {2}saveMany of 30 docs in one call: [\d.]+ s, 1 RPCs \(median of 5 calls: [\d.]+ s(, [\d.]+ s){4}\)$/m,
      );

      // The emulator it started is gone, and the environment is as it was.
      const pid = Number(/pid (\d+)/.exec(report?.backend ?? '')?.[1]);
      expect(report?.backend).toMatch(/^local Firestore emulator .* at 127\.0\.0\.1:\d+, pid \d+/);
      expect(isAlive(pid)).toBe(false);
      expect(process.env.FIRESTORE_EMULATOR_HOST).toBe(before.FIRESTORE_EMULATOR_HOST);
      expect(process.env.METADATA_SERVER_DETECTION).toBe(before.METADATA_SERVER_DETECTION);
    },
    RUN_TIMEOUT_MS,
  );
});
