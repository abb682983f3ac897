/**
 * The CouchDB server of a bench run: the one `COUCHDB_URL` names, else the CouchDB-compatible
 * test server of `@gofannon/db-couchdb` (PouchDB's express-pouchdb, in memory), started as
 * a child process on a free 127.0.0.1 port and stopped by its pid.
 *
 * How that server is started, awaited and stopped exists once, in db-couchdb's
 * `test/support/couch-server.ts`, which the adapter's own tests use. It is imported here
 * rather than copied, so the bench can never start the server differently from the tests
 * (binding, admin set-up, readiness line, SIGTERM-then-SIGKILL by pid, exit with the
 * parent). The bench is private and runs from source, so reaching into a sibling's test
 * folder costs nothing at publish time, and the server's own dependencies (express,
 * pouchdb) resolve from db-couchdb's folder, where its entry script lives. This module is
 * the only place that does it.
 */
export {
  type CouchServer,
  couchServerFromEnv,
  startCouchServer,
} from '../../../db-couchdb/test/support/couch-server';
