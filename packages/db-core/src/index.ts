export type {
  BackendPage,
  BatchSizes,
  DeleteOutcome,
  PreparedWrite,
  ServiceOptions,
} from './abstract-service';
export { AbstractDatabaseService, DEFAULT_TIMEOUT_MS } from './abstract-service';
export { isUnreachableError, toDatabaseError, withDeadline } from './backend-errors';
export { toChunks } from './batching';
export type { Capabilities, NumberRange, QueryCapabilities } from './capabilities';
export { defineCapabilities, MAX_ID_BYTES } from './capabilities';
export type { GofannonCollection } from './collections';
export { GOFANNON_COLLECTIONS } from './collections';
export { decodeCursor, encodeCursor } from './cursor';
export type { ErrorCode, ErrorTarget } from './errors';
export {
  ConflictError,
  DatabaseError,
  IndexRequiredError,
  InternalError,
  isDatabaseError,
  NotFoundError,
  redactSecrets,
  TooLargeError,
  UnavailableError,
  ValidationError,
} from './errors';
export { isExpired } from './expiry';
export type {
  AdapterContext,
  AdapterDefinition,
  CreateOptions,
  SettingDefinition,
} from './provider-factory';
export {
  BUILT_IN_PROVIDERS,
  ConfigurationError,
  createDatabaseService,
  DEFAULT_PROVIDER,
  loadAdapter,
  readDeclaredSettings,
} from './provider-factory';
export type { FindCandidate } from './query/candidates';
export { findCandidate, pageOfCandidates } from './query/candidates';
export { compareCodePoints, compareScalars, isScalar, typeRank } from './query/compare';
export { findByScan } from './query/fallback';
export type { IndexShape } from './query/index-selection';
export { indexShape, selectIndex, servedByPrimaryKey } from './query/index-selection';
export {
  aboveRange,
  belowRange,
  conditionMatches,
  matchesWhere,
  valueAtPath,
} from './query/match';
export { comparePositions, isAfter, positionOf } from './query/order';
export type {
  BackendFindPage,
  Condition,
  FindRequest,
  IndexDefinition,
  JsonScalar,
  Query,
  QueryOperator,
  QueryOrder,
  QueryPosition,
  SortDirection,
  WhereClause,
} from './query/types';
export { MAX_IN_VALUES, MAX_PATH_SEGMENTS } from './query/validate';
export type { RetryPolicy } from './retry-policy';
export { DEFAULT_RETRY_POLICY } from './retry-policy';
export { toStoredDocument } from './stored-document';
export { recordEvent, recordRetry } from './telemetry/call-state';
export type { GaugeDefinition } from './telemetry/service-telemetry';
export type {
  CallOptions,
  DatabaseService,
  DeleteManyResult,
  DeleteOptions,
  ItemFailure,
  JsonObject,
  JsonValue,
  ListOptions,
  ListPage,
  SaveManyItem,
  SaveManyResult,
  SaveOptions,
  StoredDocument,
  WriteResult,
} from './types';
export { PreparedDocument, pointer, prepareDocument } from './validation/document';
export { assertCollectionName, assertDocumentId, isDocumentId } from './validation/names';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './validation/options';
