import type { AdapterDefinition } from '@gofannon/db-core';
import { SettingsReader } from '@gofannon/db-core/adapter';
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
  create(context) {
    const { timeoutMs } = context;
    const read = SettingsReader.of('couchdb', context);
    const url = read.url('COUCHDB_URL', { example: 'http://127.0.0.1:5984' });
    const user = read.required('COUCHDB_USER', 'the user to sign in as');
    const password = read.required('COUCHDB_PASSWORD', "that user's password");
    read.done();
    return new CouchDbDatabaseService({
      url: url as string,
      user: user as string,
      password: password as string,
      databasePrefix: read.optional('COUCHDB_DATABASE_PREFIX') ?? '',
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
  },
};
