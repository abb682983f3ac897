/**
 * The PostgreSQL server of a bench run: the one `POSTGRES_URL` names, else a throw-away
 * PostgreSQL 15 cluster started as a child process on a free 127.0.0.1 port (trust auth,
 * settings chosen by the provider) and stopped by its pid.
 *
 * How that server is made, started, awaited and stopped exists once, in db-postgres's
 * `test/support/postgres-server.ts`, which the adapter's own tests use. It is imported here
 * rather than copied, so the bench can never start the server differently from the tests
 * (cluster template, running as the postgres OS user under root, readiness check, fast
 * shutdown then SIGKILL by pid, a watchdog that cleans up when this process dies). The bench
 * is private and runs from source, so reaching into a sibling's test folder costs nothing at
 * publish time; the fixture's own `pg` resolves from db-postgres's folder (the same pg
 * 8.23.1 the bench uses). This module is the only place that does it.
 */
export {
  type PostgresServer,
  postgresServerFromEnv,
  startPostgresServer,
} from '../../../db-postgres/test/support/postgres-server';
