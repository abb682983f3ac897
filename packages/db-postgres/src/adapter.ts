import { type AdapterDefinition, ConfigurationError } from '@gofannon/db-core';
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
  create({ settings, timeoutMs }) {
    const url = settings.POSTGRES_URL;
    if (!url && !settings.PGHOST) {
      throw new ConfigurationError(
        'DATABASE_PROVIDER=postgres needs POSTGRES_URL (postgres://user:password@host:port/database) or PGHOST and the other PG* variables',
      );
    }
    if (url && !/^postgres(ql)?:\/\/\S+$/.test(url)) {
      throw new ConfigurationError(
        'POSTGRES_URL must look like postgres://user:password@host:port/database',
      );
    }
    const port = settings.PGPORT === undefined ? undefined : Number(settings.PGPORT);
    if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
      throw new ConfigurationError(
        `PGPORT must be a port number, got ${JSON.stringify(settings.PGPORT)}`,
      );
    }
    const connection: pg.PoolConfig = url
      ? { connectionString: url }
      : {
          host: settings.PGHOST,
          port,
          user: settings.PGUSER,
          password: settings.PGPASSWORD,
          database: settings.PGDATABASE,
        };
    const prepared = settings.POSTGRES_PREPARED_STATEMENTS;
    if (prepared !== undefined && prepared !== 'true' && prepared !== 'false') {
      throw new ConfigurationError(
        `POSTGRES_PREPARED_STATEMENTS must be true or false, got ${JSON.stringify(prepared)}`,
      );
    }
    return new PostgresDatabaseService({
      connection,
      preparedStatements: prepared !== 'false',
      schema: settings.POSTGRES_SCHEMA ?? 'public',
      tablePrefix: settings.POSTGRES_TABLE_PREFIX ?? '',
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
  },
};
