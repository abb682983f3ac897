import { randomCollection } from '@gofannon/db-core/conformance';
import { type PostgresServer, usePostgresServer } from '@gofannon/test-support';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresDatabaseService } from '../src';
import { indexName } from '../src/index-statement';

let server: PostgresServer;
let raw: pg.Client;

beforeAll(async () => {
  server = await usePostgresServer();
  raw = new pg.Client({ connectionString: server.url });
  await raw.connect();
});
afterAll(async () => {
  await raw?.end();
  await server?.close();
});

/** A service with its own pool: another process, as far as PostgreSQL can tell. */
function aProcess(): PostgresDatabaseService {
  return new PostgresDatabaseService({ connection: { connectionString: server.url } });
}

describe('ensureIndex from two processes at once', () => {
  it('succeeds in both, round after round, and leaves one valid index beside the expiry index', async () => {
    const [first, second] = [aProcess(), aProcess()];
    try {
      const fields = ['status', 'created_at'];
      for (let round = 0; round < 20; round++) {
        // A new collection each round: the table, then the index, are made in the race.
        const collection = randomCollection();
        if (round % 2 === 1) await first.save(collection, 'one', { status: 'a', created_at: 1 });
        await Promise.all([
          first.ensureIndex(collection, { fields }),
          second.ensureIndex(collection, { fields }),
        ]);
        const indexes = await raw.query(
          `SELECT c.relname, i.indisvalid FROM pg_index i
             JOIN pg_class c ON c.oid = i.indexrelid
            WHERE i.indrelid = to_regclass($1) AND NOT i.indisprimary`,
          [`public."${collection}"`],
        );
        // The query index, and the expiry index every table is made with.
        expect(indexes.rows).toEqual(
          expect.arrayContaining([
            { relname: indexName(collection, fields), indisvalid: true },
            { relname: indexName(collection, ['expires_at'], 'expiry'), indisvalid: true },
          ]),
        );
        expect(indexes.rows).toHaveLength(2);
        await second.save(collection, 'two', { status: 'a', created_at: 2 });
        expect(
          (
            await first.find(collection, {
              where: [['status', '==', 'a']],
              orderBy: { field: 'created_at' },
              requireIndex: true,
            })
          ).documents.length,
        ).toBe(round % 2 === 1 ? 2 : 1);
      }
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });
});
