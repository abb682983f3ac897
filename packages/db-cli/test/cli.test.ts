import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runBin } from './support/run-bin';
import { useTempDir } from './support/temp-dir';

const tmp = useTempDir();

describe.concurrent('gofannon-db --help', () => {
  it('lists the commands', async () => {
    const run = await runBin(['--help']);
    expect(run.status).toBe(0);
    for (const command of ['export', 'import', 'migrate', 'stats']) {
      expect(run.stdout).toContain(`gofannon-db ${command}`);
    }
    expect(run.stdout).toContain('agents, deployments, users, sessions, tickets, demos');
  });

  it.each(['export', 'import', 'migrate', 'stats'])(
    '%s --help shows options and examples',
    async (command) => {
      const run = await runBin([command, '--help']);
      expect(run).toMatchObject({ status: 0, stderr: '' });
      expect(run.stdout).toMatch(new RegExp(`^gofannon-db ${command}`));
      expect(run.stdout).toContain('Examples:');
      expect(run.stdout).toContain('--json');
      expect((await runBin(['help', command])).stdout).toBe(run.stdout);
    },
  );

  it('--version prints the package version', async () => {
    const run = await runBin(['--version']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe.concurrent('usage errors exit 2', () => {
  it.each([
    [[], /Usage:/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['export'], /export takes one FILE argument, got 0/],
    [['import', 'a.ndjson', 'b.ndjson'], /import takes one FILE argument, got 2/],
    [['export', 'x.ndjson', '--bogus'], /Unknown option '--bogus'/],
    [
      ['import', 'x.ndjson', '--batch-size', '5000'],
      /--batch-size must be a whole number from 1 to 1000/,
    ],
    [
      ['import', 'x.ndjson', '--concurrency', 'two'],
      /--concurrency must be a whole number from 1 to 32/,
    ],
    [['migrate'], /migrate needs --from-env FILE or --to-env FILE/],
    [['stats', '--collections', 'Agents'], /--collections: Invalid collection name "Agents"/],
    [['stats', '--quiet', '--json'], /--quiet and --json cannot be used together/],
    [
      ['export', 'x.ndjson', '--from-env', '/no/such.env'],
      /\/no\/such.env: cannot be read \(no such file\)/,
    ],
  ])('%j', async (args, message) => {
    const run = await runBin(args);
    expect(run.status).toBe(2);
    expect(`${run.stdout}${run.stderr}`).toMatch(message);
  });

  it('a bad env file names its line; an unknown provider or missing settings name what to fix', async () => {
    await writeFile(tmp.path('bad.env'), 'DATABASE_PROVIDER=couchdb\nthis is not a setting\n');
    const bad = await runBin(['stats', '--from-env', tmp.path('bad.env')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('bad.env line 2: expected KEY=VALUE');

    await writeFile(tmp.path('couch.env'), 'DATABASE_PROVIDER=couchdb\n');
    const missing = await runBin(['stats', '--from-env', tmp.path('couch.env')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/COUCHDB_URL is not set/);
    expect(missing.stderr).toMatch(/COUCHDB_PASSWORD is not set/);

    const unknown = await runBin(['stats'], { env: { DATABASE_PROVIDER: 'nosuchdb' } });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown DATABASE_PROVIDER "nosuchdb"/);
  });
});

describe('runs', () => {
  it('an unreachable backend exits 1 with a clear message and no secret', async () => {
    await writeFile(
      tmp.path('down.env'),
      'DATABASE_PROVIDER=postgres\nPOSTGRES_URL=postgres://app:hunter2@127.0.0.1:1/app\nDATABASE_TIMEOUT_MS=2000\n',
    );
    const run = await runBin(['stats', '--from-env', tmp.path('down.env')]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/cannot reach the source/);
    expect(run.stderr).not.toContain('hunter2');
  });

  it('an export of the environment provider (memory) with --json', async () => {
    const file = tmp.path('empty.ndjson');
    const run = await runBin(['export', file, '--json'], { env: { DATABASE_PROVIDER: 'memory' } });
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      command: 'export',
      ok: true,
      source: 'memory',
      target: file,
    });
  });
});
