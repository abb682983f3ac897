import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationError, createDatabaseService, loadAdapter } from '../src';
import { created } from './fixtures/settings-adapter';

const fixture = () => import('./fixtures/settings-adapter');

/**
 * Loads packages the way an application with no adapter installed would: Node's own
 * resolution from an empty folder. (Inside this workspace every adapter is installed.)
 */
const appWithoutAdapters = createRequire(
  join(mkdtempSync(join(tmpdir(), 'no-adapters-')), 'app.js'),
);
const loadFromEmptyApp = async (name: string) =>
  import(pathToFileURL(appWithoutAdapters.resolve(name)).href);

async function startupError(promise: Promise<unknown>): Promise<ConfigurationError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ConfigurationError);
  return error as ConfigurationError;
}

describe('createDatabaseService', () => {
  beforeEach(() => {
    created.length = 0;
  });

  it('loads a third-party adapter package named in DATABASE_PROVIDER', async () => {
    const loaded: string[] = [];
    const service = await createDatabaseService({
      env: {
        DATABASE_PROVIDER: 'gofannon-db-fixture',
        FIXTURE_URL: ' http://127.0.0.1:1 ',
        FIXTURE_TOKEN: 't',
        DATABASE_TIMEOUT_MS: '2500',
        UNRELATED: 'x',
      },
      load: (name) => {
        loaded.push(name);
        return fixture();
      },
    });
    expect(service.provider).toBe('fixture');
    expect(loaded).toEqual(['gofannon-db-fixture']);
    expect(created).toEqual([
      { settings: { FIXTURE_URL: 'http://127.0.0.1:1', FIXTURE_TOKEN: 't' }, timeoutMs: 2500 },
    ]);
  });

  it('maps built-in names to their packages', async () => {
    const loaded: string[] = [];
    for (const provider of ['couchdb', 'firestore', 'dynamodb', 'postgres', 'memory']) {
      await loadAdapter(provider, (name) => {
        loaded.push(name);
        return fixture();
      });
    }
    expect(loaded).toEqual([
      '@gofannon/db-couchdb',
      '@gofannon/db-firestore',
      '@gofannon/db-dynamodb',
      '@gofannon/db-postgres',
      '@gofannon/db-memory',
    ]);
  });

  it('names every missing setting and every bad one in one message', async () => {
    const error = await startupError(
      createDatabaseService({
        env: {
          DATABASE_PROVIDER: 'gofannon-db-fixture',
          FIXTURE_URL: 'localhost:1',
          DATABASE_TIMEOUT_MS: 'soon',
        },
        load: fixture,
      }),
    );
    // The factory's findings and the adapter's own check, in one error.
    expect(error.message).toContain('FIXTURE_TOKEN is not set: the access token');
    expect(error.message).toContain('DATABASE_TIMEOUT_MS must be a positive whole number');
    expect(error.message).toContain('FIXTURE_URL must be an http:// or https:// URL');
    expect(error.message).not.toContain('FIXTURE_PREFIX');
    expect(error.message.match(/ - /g)).toHaveLength(3);
    expect(created).toEqual([]);
  });

  it('names a missing setting once, also when the adapter checks it again', async () => {
    const error = await startupError(
      createDatabaseService({
        env: { DATABASE_PROVIDER: 'gofannon-db-fixture', FIXTURE_URL: 'http://127.0.0.1:1' },
        load: fixture,
      }),
    );
    expect(error.message.match(/FIXTURE_TOKEN is not set/g)).toHaveLength(1);
    expect(error.message).toContain('FIXTURE_TOKEN is not set: the access token');
  });

  it("closes a service an adapter made without its required settings, and says what's missing", async () => {
    const careless = await import('./fixtures/ignores-reader');
    careless.made.length = 0;
    const error = await startupError(
      createDatabaseService({
        env: { DATABASE_PROVIDER: 'careless-adapter' },
        load: async () => careless,
      }),
    );
    expect(error.message).toContain('CARELESS_URL is not set: the server');
    expect(careless.made).toEqual([{ closed: true }]);
  });

  it('says which package to install for a built-in provider that is not installed', async () => {
    const error = await startupError(
      createDatabaseService({ env: { DATABASE_PROVIDER: 'couchdb' }, load: loadFromEmptyApp }),
    );
    expect(error.message).toContain(
      'needs the package @gofannon/db-couchdb, which is not installed',
    );
    expect(error.message).toContain('npm install @gofannon/db-couchdb');
  });

  it('calls an unknown provider unknown, listing the built-in ones', async () => {
    const missing = await startupError(
      createDatabaseService({
        env: { DATABASE_PROVIDER: 'gofannon-db-nowhere' },
        load: loadFromEmptyApp,
      }),
    );
    expect(missing.message).toMatch(
      /Unknown DATABASE_PROVIDER "gofannon-db-nowhere".*memory, couchdb/s,
    );
    const invalid = await startupError(
      createDatabaseService({ env: { DATABASE_PROVIDER: 'Mongo DB!' } }),
    );
    expect(invalid.message).toMatch(/Unknown DATABASE_PROVIDER "Mongo DB!"/);
  });

  it('refuses a package that is not an adapter, or fails to load, saying so', async () => {
    const notAdapter = await startupError(
      createDatabaseService({
        env: { DATABASE_PROVIDER: 'some-package' },
        load: () => import('./fixtures/not-an-adapter'),
      }),
    );
    expect(notAdapter.message).toContain('some-package is not a Gofannon DB adapter');
    const broken = await startupError(
      createDatabaseService({
        env: { DATABASE_PROVIDER: 'broken-package' },
        load: () => import('./fixtures/throws-on-load'),
      }),
    );
    expect(broken.message).toContain('broken-package failed to load');
    expect(broken.message).toContain('the fixture fails while loading');
  });

  it('never falls back to memory', async () => {
    await startupError(
      createDatabaseService({ env: { DATABASE_PROVIDER: 'dynamodb' }, load: loadFromEmptyApp }),
    );
    await startupError(
      createDatabaseService({ env: { DATABASE_PROVIDER: 'dynamo' }, load: loadFromEmptyApp }),
    );
  });
});
