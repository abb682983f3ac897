export { couchProviderEnv } from './couchdb/provider-env';
export {
  COUCHDB_TEST_SERVER_VARIABLE,
  type CouchServer,
  type CouchServerKind,
  couchServerFromEnv,
  startCouchServer,
  useCouchServer,
} from './couchdb/server';
export {
  type CountingProxy,
  type CountingProxyOptions,
  emptyProxyCounts,
  type ProxyCounts,
  startCountingProxy,
} from './counting-proxy';
export { dynamoCredentialsEnv, dynamoProviderEnv } from './dynamodb/provider-env';
export {
  type DynamoClientSettings,
  type DynamoServer,
  dynamoClientConfig,
  dynamoServerFromEnv,
  startDynamoServer,
  useDynamoServer,
} from './dynamodb/server';
export { type ExternalServerControls, externalServerControls } from './external-server';
export {
  type EmulatorOptions,
  emulatorJarMissing,
  type FirestoreEmulator,
  firestoreEmulatorFromEnv,
  startFirestoreEmulator,
  useEmulatorEnvironment,
  useFirestoreEmulator,
} from './firestore/emulator';
export { emulatorProcessEnv, firestoreProviderEnv } from './firestore/provider-env';
export { type GrpcRequestCounter, startGrpcRequestCounter } from './grpc-request-counter';
export {
  type LocalServerControls,
  type ServerProcess,
  withLocalServerControls,
} from './local-server';
export { isAlive, processStatFields } from './pids';
export { freeLoopbackPort } from './ports';
export { postgresProviderEnv } from './postgres/provider-env';
export {
  type PostgresServer,
  postgresServerFromEnv,
  type StartPostgresOptions,
  startPostgresServer,
  usePostgresServer,
} from './postgres/server';
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
  type RequestCounter,
  requestGateOf,
  startHttpRequestCounter,
  startPostgresRequestCounter,
} from './request-gates';
export { describeTelemetry, type TelemetryCaseOptions } from './telemetry/telemetry-cases';
export {
  installTestTelemetry,
  type MetricPoint,
  type TestTelemetry,
} from './telemetry/test-telemetry';
