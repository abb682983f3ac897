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
export type { Capabilities, NumberRange } from './capabilities';
export { defineCapabilities, MAX_ID_BYTES } from './capabilities';
export type { GofannonCollection } from './collections';
export { GOFANNON_COLLECTIONS } from './collections';
export { decodeCursor, encodeCursor } from './cursor';
export type { ErrorCode, ErrorTarget } from './errors';
export {
  ConflictError,
  DatabaseError,
  InternalError,
  isDatabaseError,
  NotFoundError,
  redactSecrets,
  TooLargeError,
  UnavailableError,
  ValidationError,
} from './errors';
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
export type { RetryPolicy } from './retry-policy';
export { DEFAULT_RETRY_POLICY } from './retry-policy';
export { toStoredDocument } from './stored-document';
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
