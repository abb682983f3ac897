import type { BackendInspector } from '@gofannon/db-core/conformance';
import pg from 'pg';

/** Tells the suite whether a collection's table exists, asking the catalog directly. */
export function postgresInspector(url: () => string, tablePrefix = ''): BackendInspector {
  return {
    async collectionExists(collection) {
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        const result = await client.query('SELECT to_regclass($1) IS NOT NULL AS present', [
          `public."${tablePrefix}${collection}"`,
        ]);
        return result.rows[0].present as boolean;
      } finally {
        await client.end();
      }
    },
  };
}
