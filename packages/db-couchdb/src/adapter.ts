import { type AdapterDefinition, ConfigurationError } from '@gofannon/db-core';
import { CouchDbDatabaseService } from './couchdb-service';

/** Lets `DATABASE_PROVIDER=couchdb` find this adapter, with its settings. */
export const adapter: AdapterDefinition = {
  provider: 'couchdb',
  settings: [
    {
      name: 'COUCHDB_URL',
      required: true,
      description: 'the server, such as http://127.0.0.1:5984',
    },
    {
      name: 'COUCHDB_USER',
      required: true,
      description: 'the user to sign in as (an admin creates databases)',
    },
    { name: 'COUCHDB_PASSWORD', required: true, description: "that user's password" },
    {
      name: 'COUCHDB_DATABASE_PREFIX',
      required: false,
      description: 'put before every database name, such as "gofannon_"',
    },
  ],
  create({ settings, timeoutMs }) {
    const url = settings.COUCHDB_URL as string;
    if (!/^https?:\/\/[^/]/.test(url)) {
      throw new ConfigurationError(
        'COUCHDB_URL must be an http:// or https:// URL of the CouchDB server',
      );
    }
    return new CouchDbDatabaseService({
      url,
      user: settings.COUCHDB_USER as string,
      password: settings.COUCHDB_PASSWORD as string,
      databasePrefix: settings.COUCHDB_DATABASE_PREFIX ?? '',
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
  },
};
