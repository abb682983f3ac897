import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ConfigurationError, createDatabaseService } from '@gofannon/db-core';
import { randomCollection } from '@gofannon/db-core/conformance';
import { type DynamoServer, useDynamoServer } from '@gofannon/test-support';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { adapter } from '../src';
import { rawClient } from './support/raw-client';

let server: DynamoServer;
beforeAll(async () => {
  server = await useDynamoServer();
});
afterAll(async () => {
  await server?.close();
});

async function startUp(env: Record<string, string>): Promise<unknown> {
  return createDatabaseService({ env: { DATABASE_PROVIDER: 'dynamodb', ...env } }).catch(
    (error: unknown) => error,
  );
}

describe('DATABASE_PROVIDER=dynamodb', () => {
  it('declares every setting it reads, none of them required', () => {
    expect(adapter.provider).toBe('dynamodb');
    expect(adapter.settings.map((setting) => [setting.name, setting.required])).toEqual([
      ['DYNAMODB_REGION', false],
      ['DYNAMODB_ENDPOINT_URL', false],
      ['DYNAMODB_TABLE_PREFIX', false],
      ['DYNAMODB_REQUEST_TIMEOUT_MS', false],
      ['DYNAMODB_MAX_ATTEMPTS', false],
    ]);
  });

  it('refuses unusable settings at start-up, naming the variable', async () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ DYNAMODB_REGION: 'Mars' }, /DYNAMODB_REGION/],
      [{ DYNAMODB_ENDPOINT_URL: 'localhost:8000' }, /DYNAMODB_ENDPOINT_URL/],
      [{ DYNAMODB_ENDPOINT_URL: 'ftp://127.0.0.1:8000' }, /DYNAMODB_ENDPOINT_URL/],
      [{ DYNAMODB_ENDPOINT_URL: 'http://key:secret@127.0.0.1:8000' }, /DYNAMODB_ENDPOINT_URL/],
      [{ DYNAMODB_TABLE_PREFIX: 'bad prefix' }, /DYNAMODB_TABLE_PREFIX/],
      [{ DYNAMODB_REQUEST_TIMEOUT_MS: '0' }, /DYNAMODB_REQUEST_TIMEOUT_MS/],
      [{ DYNAMODB_MAX_ATTEMPTS: 'three' }, /DYNAMODB_MAX_ATTEMPTS/],
      [{ DYNAMODB_MAX_ATTEMPTS: '2.5' }, /DYNAMODB_MAX_ATTEMPTS/],
    ];
    for (const [env, message] of cases) {
      const error = await startUp(env);
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('secret');
    }
  });

  it('starts from the environment with an endpoint, a prefix and the standard credentials', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', process.env.AWS_ACCESS_KEY_ID ?? 'fakeKey');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', process.env.AWS_SECRET_ACCESS_KEY ?? 'fakeSecret');
    const db = await createDatabaseService({
      env: {
        DATABASE_PROVIDER: 'dynamodb',
        DYNAMODB_ENDPOINT_URL: server.endpoint,
        DYNAMODB_REGION: process.env.DYNAMODB_REGION ?? 'us-east-1',
        DYNAMODB_TABLE_PREFIX: 'env_',
        DYNAMODB_MAX_ATTEMPTS: '2',
        DATABASE_TIMEOUT_MS: '5000',
      },
    });
    try {
      expect(db.provider).toBe('dynamodb');
      const collection = randomCollection();
      await db.save(collection, 'x', { ok: true });
      const raw = rawClient(server);
      const { TableNames } = await raw.send(
        new ListTablesCommand({ ExclusiveStartTableName: 'env_' }),
      );
      raw.destroy();
      expect(TableNames).toContain(`env_${collection}`);
    } finally {
      await db.close();
      vi.unstubAllEnvs();
    }
  });
});
