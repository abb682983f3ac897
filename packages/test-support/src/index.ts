export { type ExternalServerControls, externalServerControls } from './external-server';
export {
  type LocalServerControls,
  type ServerProcess,
  withLocalServerControls,
} from './local-server';
export { freeLoopbackPort } from './ports';
export {
  hasExited,
  isBeingStopped,
  killOnExit,
  type StopOptions,
  signalAndWait,
  signalProcess,
  stopChild,
} from './processes';
export {
  type CountingProxy,
  type CountingProxyOptions,
  emptyProxyCounts,
  type ProxyCounts,
  startCountingProxy,
} from './counting-proxy';
export { couchProviderEnv } from './couchdb/provider-env';
export {
  COUCHDB_TEST_SERVER_VARIABLE,
  type CouchServer,
  type CouchServerKind,
  couchServerFromEnv,
  startCouchServer,
  useCouchServer,
} from './couchdb/server';
export { isAlive } from './pids';
