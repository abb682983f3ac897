// A CouchDB-compatible HTTP server for the integration tests, run as a child process:
//
//   node pouchdb-stand-in-main.mjs [port]
//
// PouchDB's express-pouchdb in 'fullCouchDB' mode, with every database and the
// server config in memory. It is NOT CouchDB: see BACKENDS.md for the differences.
//
// Port: argv[2], else COUCH_SERVER_PORT, else 0 (a free one). Binds 127.0.0.1 only.
// Admin: COUCH_SERVER_ADMIN_USER / COUCH_SERVER_ADMIN_PASSWORD (both required). The
// admin exists before the port is opened, so there is never an "admin party", and an
// anonymous write is refused with 401 instead of reaching code that crashes on it.
// When ready, prints exactly one line on stdout: {"port":N}. Everything else goes to
// stderr. Ends on SIGTERM / SIGINT, or when stdin closes if COUCH_SERVER_EXIT_WITH_STDIN=1.

import { devNull } from 'node:os';
import express from 'express';
import expressPouchDB from 'express-pouchdb';
import adapterHttp from 'pouchdb-adapter-http';
import adapterMemory from 'pouchdb-adapter-memory';
import PouchDB from 'pouchdb-core';
import mapReduce from 'pouchdb-mapreduce';
import replication from 'pouchdb-replication';

const HOST = '127.0.0.1';
// express-pouchdb parses JSON bodies with body-parser, whose limit is the config value
// couchdb/max_document_size (4 GiB when unset). 64 MiB leaves room for the ~8 MB
// documents the tests write while bounding what one request can allocate.
const MAX_BODY_BYTES = 64 * 1024 * 1024;
// What CouchDB 3 gives every new database (`[couchdb] default_security = admin_only`).
const ADMIN_ONLY_SECURITY = { members: { roles: ['_admin'] }, admins: { roles: ['_admin'] } };

// Two behaviours of CouchDB that PouchDB lacks, restored here so the adapter is tested
// against CouchDB's semantics, not PouchDB's:
//
// 1. A JSON object key "__proto__" is data. PouchDB copies documents with plain
//    assignment, which turns such a key into a prototype change and drops it. In this
//    process, assigning `__proto__` defines an own property instead, as JSON.parse does.
const protoAccessor = Object.getOwnPropertyDescriptor(Object.prototype, '__proto__');
Object.defineProperty(Object.prototype, '__proto__', {
  get: protoAccessor.get,
  set(value) {
    Object.defineProperty(this, '__proto__', {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  },
  configurable: true,
});

// 2. `_all_docs` without an end lists every document. PouchDB's default end stops before
//    ids that start above U+00FF, so a request without one gets the highest UTF-16 key.
function allDocsToTheEnd(req, _res, next) {
  const query = req.query;
  const bounded = ['endkey', 'end_key', 'key', 'keys'].some((name) => name in query);
  if (
    req.method === 'GET' &&
    /\/_all_docs$/.test(req.path) &&
    !bounded &&
    query.descending !== 'true'
  ) {
    query.endkey = JSON.stringify('\uffff\uffff');
  }
  next();
}

function fail(message) {
  process.stderr.write(`pouchdb-stand-in-main: ${message}\n`);
  process.exit(1);
}

/** Registers `handler` for `method path` and moves it just before the app's own route for it. */
function runBeforeRoute(app, method, path, handler) {
  // Express 4 keeps the app's middleware and routes, in order, in app._router.stack.
  const stack = app._router.stack;
  const own = stack.findIndex((layer) => layer.route?.path === path && layer.route.methods[method]);
  if (own === -1) fail(`express-pouchdb has no ${method.toUpperCase()} ${path} route`);
  app[method](path, handler);
  stack.splice(own, 0, stack.pop());
}

function setConfig(app, section, key, value) {
  return new Promise((resolve, reject) => {
    app.couchConfig.set(section, key, value, (err) => (err ? reject(err) : resolve()));
  });
}

async function main() {
  const portText = process.argv[2] ?? process.env.COUCH_SERVER_PORT ?? '0';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`bad port ${portText}`);
  const user = process.env.COUCH_SERVER_ADMIN_USER;
  const password = process.env.COUCH_SERVER_ADMIN_PASSWORD;
  if (!user || !password) {
    fail('COUCH_SERVER_ADMIN_USER and COUCH_SERVER_ADMIN_PASSWORD must be set');
  }

  const MemoryPouchDB = PouchDB.plugin(adapterHttp)
    .plugin(adapterMemory)
    .plugin(mapReduce)
    .plugin(replication)
    .defaults({ adapter: 'memory' });

  const couchApp = expressPouchDB({
    mode: 'fullCouchDB',
    inMemoryConfig: true,
    // The couch log is a file; /dev/null keeps it from landing in the working directory.
    logPath: devNull,
    // Fauxton (the web UI) is not needed by the tests.
    overrideMode: { exclude: ['routes/fauxton'] },
  });
  // Creating and deleting a database need a server admin, checked here (with the session
  // express-pouchdb's authentication middleware has just built) before express-pouchdb's
  // own routes run, because those routes fail badly for anyone else:
  // - PUT /:db: pouchdb-security answers PouchDB.new() with a rejected promise, the route
  //   calls `.info()` on it, and the TypeError kills the process.
  // - DELETE /:db: the refused destroy rejects express-pouchdb's global create/delete
  //   promise chain, so every later database request is an unhandled rejection (the
  //   process dies, or the request hangs).
  for (const method of ['put', 'delete']) {
    runBeforeRoute(couchApp, method, '/:db', (req, res, next) => {
      if (req.couchSession?.userCtx?.roles?.includes('_admin')) return next();
      res.status(401).json({ error: 'unauthorized', reason: 'You are not a server admin.' });
    });
  }
  // CouchDB 3 gives a new database the security object of `default_security = admin_only`;
  // PouchDB leaves it open to anyone. PouchDB.new is only called by the PUT /:db route,
  // which answers once info() resolves: set the security object first. Registered after
  // express-pouchdb's own daemons, so this wraps pouchdb-security's PouchDB.new.
  couchApp.daemonManager.registerDaemon({
    start(Pouch) {
      const createDatabase = Pouch.new;
      Pouch.new = function (...args) {
        const db = createDatabase.apply(this, args);
        const secured = db.putSecurity(ADMIN_ONLY_SECURITY);
        const info = db.info;
        db.info = (callback) => secured.then(() => info.call(db, callback), callback);
        return db;
      };
    },
  });
  await couchApp.setPouchDB(MemoryPouchDB);

  // Quiet: no per-request log lines anywhere.
  await setConfig(couchApp, 'log', 'level', 'none');
  await setConfig(couchApp, 'couchdb', 'max_document_size', MAX_BODY_BYTES);
  // The admin is configured before the port opens. The config hashes the password
  // (pbkdf2) and refreshes the _users database before this callback fires.
  await setConfig(couchApp, 'admins', user, password);

  const app = express();
  app.disable('x-powered-by');
  app.use(allDocsToTheEnd);
  app.use(couchApp);

  const server = app.listen(port, HOST);
  await new Promise((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  if (!address || typeof address === 'string') fail('no TCP address after listen');
  process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);

  const shutdown = () => {
    server.close();
    server.closeAllConnections?.();
    process.exit(0);
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  if (process.env.COUCH_SERVER_EXIT_WITH_STDIN === '1') {
    process.stdin.on('end', shutdown);
    process.stdin.on('close', shutdown);
    process.stdin.resume();
  }
}

main().catch((err) => fail(err?.stack ?? String(err)));
