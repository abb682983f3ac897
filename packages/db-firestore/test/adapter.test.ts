// DATABASE_PROVIDER=firestore start-up: every setting that cannot work stops it with a
// message naming the variable; settings that can work make a service without any network
// call (reaching the backend is tested in firestore.test.ts).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError, createDatabaseService } from '@gofannon/db-core';
import { describe, expect, it } from 'vitest';
import { adapter, FirestoreDatabaseService } from '../src';

function start(env: Record<string, string>) {
  return createDatabaseService({ env: { DATABASE_PROVIDER: 'firestore', ...env } });
}

const EMULATOR = { FIRESTORE_EMULATOR_HOST: '127.0.0.1:1', FIRESTORE_PROJECT_ID: 'demo-x' };

describe('adapter', () => {
  it('declares every variable it reads, none of them required on its own', () => {
    expect(adapter.provider).toBe('firestore');
    expect(adapter.settings.map((setting) => setting.name)).toEqual([
      'FIRESTORE_PROJECT_ID',
      'GOOGLE_APPLICATION_CREDENTIALS',
      'FIRESTORE_EMULATOR_HOST',
      'FIRESTORE_DATABASE_ID',
      'FIRESTORE_COLLECTION_PREFIX',
    ]);
    expect(adapter.settings.every((setting) => !setting.required)).toBe(true);
  });

  it('needs FIRESTORE_PROJECT_ID with the emulator', async () => {
    const error = start({ FIRESTORE_EMULATOR_HOST: '127.0.0.1:8080' });
    await expect(error).rejects.toBeInstanceOf(ConfigurationError);
    await expect(error).rejects.toThrow(/needs FIRESTORE_PROJECT_ID/);
  });

  it('names every bad setting in one error', async () => {
    const error = start({ FIRESTORE_EMULATOR_HOST: '127.0.0.1', FIRESTORE_DATABASE_ID: 'ab' });
    await expect(error).rejects.toBeInstanceOf(ConfigurationError);
    await expect(error).rejects.toThrow(
      /FIRESTORE_DATABASE_ID must be[\s\S]*FIRESTORE_EMULATOR_HOST/,
    );
  });

  it('refuses an emulator host that is not host:port', async () => {
    for (const host of ['http://127.0.0.1:8080', '127.0.0.1', 'a b:1']) {
      await expect(start({ ...EMULATOR, FIRESTORE_EMULATOR_HOST: host })).rejects.toThrow(
        /FIRESTORE_EMULATOR_HOST must be host:port/,
      );
    }
  });

  it('refuses a database id Firestore would not have', async () => {
    for (const id of ['Default', 'ab', 'db_1', '-db', 'db-', 'x'.repeat(64)]) {
      await expect(start({ ...EMULATOR, FIRESTORE_DATABASE_ID: id })).rejects.toThrow(
        /FIRESTORE_DATABASE_ID must be/,
      );
    }
  });

  it('refuses a collection prefix that could make an invalid collection id', async () => {
    for (const prefix of ['a/b', '__', '_x', 'a.b', 'x'.repeat(101)]) {
      await expect(start({ ...EMULATOR, FIRESTORE_COLLECTION_PREFIX: prefix })).rejects.toThrow(
        /FIRESTORE_COLLECTION_PREFIX must be/,
      );
    }
    expect(() => new FirestoreDatabaseService({ collectionPrefix: 'a/b' })).toThrow(
      ConfigurationError,
    );
  });

  it('refuses a key file that does not exist', async () => {
    await expect(
      start({ GOOGLE_APPLICATION_CREDENTIALS: '/nonexistent/key.json' }),
    ).rejects.toThrow(/GOOGLE_APPLICATION_CREDENTIALS names "\/nonexistent\/key.json"/);
  });

  it('starts with the emulator, a key file, or application default credentials', async () => {
    const keyFile = join(mkdtempSync(join(tmpdir(), 'gofannon-fs-')), 'key.json');
    writeFileSync(keyFile, '{}');
    const environments: Array<Record<string, string>> = [
      EMULATOR,
      { ...EMULATOR, FIRESTORE_DATABASE_ID: 'my-db', FIRESTORE_COLLECTION_PREFIX: 'app_' },
      { GOOGLE_APPLICATION_CREDENTIALS: keyFile, FIRESTORE_PROJECT_ID: 'p' },
      {},
      { FIRESTORE_DATABASE_ID: '(default)', DATABASE_TIMEOUT_MS: '2500' },
    ];
    for (const env of environments) {
      const service = await start(env);
      expect(service).toBeInstanceOf(FirestoreDatabaseService);
      await service.close();
    }
  });
});
