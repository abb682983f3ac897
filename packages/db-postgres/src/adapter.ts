import type { AdapterDefinition } from '@gofannon/db-core';
import { SettingsReader } from '@gofannon/db-core/adapter';
import type pg from 'pg';
import { PostgresDatabaseService } from './postgres-service';

/** The standard libpq variables, read when POSTGRES_URL is not set. */
const PG_VARIABLES = ['PGHOST', 'PGPORT', 'PGUSER', 'PGPASSWORD', 'PGDATABASE'] as const;

/** Lets `DATABASE_PROVIDER=postgres` find this adapter, with its settings. */
export const adapter: AdapterDefinition = {
  provider: 'postgres',
  settings: [
    {
      name: 'POSTGRES_URL',
      required: false,
      description:
        'the server, such as postgres://user:password@127.0.0.1:5432/app (or set PGHOST and friends)',
    },
    ...PG_VARIABLES.map((name) => ({ name, required: false, description: `libpq's ${name}` })),
    {
      name: 'POSTGRES_SCHEMA',
      required: false,
      description: 'schema of the tables, public by default',
    },
    { name: 'POSTGRES_TABLE_PREFIX', required: false, description: 'put before every table name' },
    {
      name: 'POSTGRES_PREPARED_STATEMENTS',
      required: false,
      description: 'true (default) or false: false behind a pooler that cannot keep them',
    },
  ],
  create(context) {
    const { timeoutMs } = context;
    const read = SettingsReader.of('postgres', context);
    const url = read.matching(
      'POSTGRES_URL',
      /^postgres(ql)?:\/\/\S+$/,
      'a URL like postgres://user:password@host:port/database',
    );
    if (!read.optional('POSTGRES_URL') && !read.optional('PGHOST')) {
      read.problem(
        'POSTGRES_URL (postgres://user:password@host:port/database) or PGHOST and the other PG* variables must be set',
      );
    }
    const port = read.positiveInteger('PGPORT');
    if (port !== undefined && port > 65535)
      read.problem(`PGPORT must be a port number, got ${port}`);
    const prepared = read.boolean('POSTGRES_PREPARED_STATEMENTS');
    read.done();
    const connection: pg.PoolConfig = url
      ? { connectionString: url }
      : {
          host: read.optional('PGHOST'),
          port,
          user: read.optional('PGUSER'),
          password: read.optional('PGPASSWORD'),
          database: read.optional('PGDATABASE'),
        };
    return new PostgresDatabaseService({
      connection,
      preparedStatements: prepared !== false,
      schema: read.optional('POSTGRES_SCHEMA') ?? 'public',
      tablePrefix: read.optional('POSTGRES_TABLE_PREFIX') ?? '',
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
  },
};
