import { readFile, writeFile } from 'node:fs/promises';
import type { DatabaseService } from '@gofannon/db-core';
import { MemoryDatabaseService } from '@gofannon/db-memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOFANNON_COLLECTIONS } from '../src/collections';
import { migrate } from '../src/commands/migrate';
import type { RunSummary } from '../src/commands/options';
import { openService } from '../src/config/open-service';
import { gofannonDocuments, revisions, seed, snapshot } from './support/documents';
import { runBin } from './support/run-bin';
import {
  type CouchServer,
  couchEnv,
  type DynamoServer,
  dynamoEnv,
  emulatorJarMissing,
  envFileText,
  type FirestoreEmulator,
  firestoreEnv,
  type PostgresServer,
  postgresEnv,
  useCouchServer,
  useDynamoServer,
  useFirestoreEmulator,
  usePostgresServer,
} from './support/servers';
import { useTempDir } from './support/temp-dir';

const tmp = useTempDir();
const DOCUMENTS = gofannonDocuments(40);
const TOTAL = 5 * 40 + 48;
let couch: CouchServer;
let pg: PostgresServer;
let dynamo: DynamoServer;
let firestore: FirestoreEmulator | undefined;
const opened: DatabaseService[] = [];
const firestoreMissing = emulatorJarMissing();

beforeAll(async () => {
  [couch, pg, dynamo, firestore] = await Promise.all([
    useCouchServer(),
    usePostgresServer(),
    useDynamoServer(),
    firestoreMissing ? undefined : useFirestoreEmulator(),
  ]);
  // What the AWS and Google clients read from the process environment themselves.
  Object.assign(process.env, dynamoEnv(dynamo).processEnv);
  if (firestore) Object.assign(process.env, firestoreEnv(firestore).processEnv);
});
afterAll(async () => {
  await Promise.all(opened.map((service) => service.close()));
  await Promise.all([couch?.close(), pg?.close(), dynamo?.close(), firestore?.close()]);
});

/** Every provider, each opening a fresh, empty service (its own prefix on the server). */
const PROVIDERS: Record<string, () => Promise<DatabaseService>> = {
  memory: async () => new MemoryDatabaseService(),
  couchdb: () => open(couchEnv(couch)),
  postgres: () => open(postgresEnv(pg)),
  dynamodb: () => open(dynamoEnv(dynamo).env),
  ...(firestoreMissing
    ? {}
    : { firestore: () => open(firestoreEnv(firestore as FirestoreEmulator).env) }),
};
if (firestoreMissing) process.stderr.write(`\n${firestoreMissing} (db-cli's migrations)\n\n`);

/** Each pair of providers once; a test migrates both ways, so every ordered pair runs. */
const PAIRS = Object.keys(PROVIDERS).flatMap((from, index, names) =>
  names.slice(index + 1).map((to) => [from, to] as const),
);

async function open(env: Record<string, string>): Promise<DatabaseService> {
  const { service } = await openService({ env });
  opened.push(service);
  return service;
}

function total(summary: RunSummary, field: 'written' | 'unchanged' | 'failed'): number {
  return summary.collections.reduce((sum, c) => sum + c[field], 0);
}

/** Migrates with verify, checks the copy, then migrates again and checks nothing changed. */
async function migrateTwice(source: DatabaseService, target: DatabaseService): Promise<void> {
  const first = await migrate({ source, target, verify: true, batchSize: 30, concurrency: 3 });
  expect(first).toMatchObject({
    ok: true,
    failures: 0,
    source: source.provider,
    target: target.provider,
  });
  expect(total(first, 'written')).toBe(TOTAL);
  expect(first.verify?.map((v) => v.match)).toEqual(GOFANNON_COLLECTIONS.map(() => true));
  expect(await snapshot(target, GOFANNON_COLLECTIONS)).toEqual(
    await snapshot(source, GOFANNON_COLLECTIONS),
  );

  const before = await revisions(target, GOFANNON_COLLECTIONS);
  const second = await migrate({ source, target, verify: true, batchSize: 30 });
  expect(second.ok).toBe(true);
  expect(total(second, 'written')).toBe(0);
  expect(total(second, 'unchanged')).toBe(TOTAL);
  expect(await revisions(target, GOFANNON_COLLECTIONS)).toEqual(before);
}

describe('migrate between providers, with verify', () => {
  it.each(PAIRS)('%s -> %s and back keeps every document', async (from, to) => {
    const source = await (PROVIDERS[from] as () => Promise<DatabaseService>)();
    await seed(source, DOCUMENTS);
    const middle = await (PROVIDERS[to] as () => Promise<DatabaseService>)();
    const back = await (PROVIDERS[from] as () => Promise<DatabaseService>)();

    await migrateTwice(source, middle);
    await migrateTwice(middle, back);
    expect(await snapshot(back, GOFANNON_COLLECTIONS)).toEqual(
      await snapshot(source, GOFANNON_COLLECTIONS),
    );
  });

  it('the gofannon-db bin migrates postgres -> couchdb from env files and prints JSON', async () => {
    const sourceEnv = postgresEnv(pg);
    const targetEnv = couchEnv(couch);
    await seed(await open(sourceEnv), DOCUMENTS);
    await writeFile(tmp.path('from.env'), envFileText(sourceEnv));
    await writeFile(tmp.path('to.env'), envFileText(targetEnv));
    const args = ['migrate', '--from-env', tmp.path('from.env'), '--to-env', tmp.path('to.env')];

    const run = await runBin([...args, '--verify', '--json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const summary = JSON.parse(run.stdout) as RunSummary;
    expect(summary).toMatchObject({
      command: 'migrate',
      ok: true,
      source: 'postgres',
      target: 'couchdb',
    });
    expect(total(summary, 'written')).toBe(TOTAL);
    expect(await snapshot(await open(targetEnv), GOFANNON_COLLECTIONS)).toEqual(
      await snapshot(await open(sourceEnv), GOFANNON_COLLECTIONS),
    );

    const again = await runBin([...args, '--verify']);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/verify: every collection matches/);
    expect(again.stderr).toMatch(/agents: 40 documents in/);

    // Export from the same settings, then stats of the file.
    const file = tmp.path('from-postgres.ndjson.gz');
    const exported = await runBin([
      'export',
      file,
      '--from-env',
      tmp.path('from.env'),
      '--verify',
      '--quiet',
    ]);
    expect(exported).toMatchObject({ status: 0, stdout: '', stderr: '' });
    const stats = await runBin(['stats', file, '--json']);
    expect(JSON.parse(stats.stdout)).toMatchObject({ total: TOTAL });
    expect((await readFile(file)).length).toBeGreaterThan(0);
  });
});
