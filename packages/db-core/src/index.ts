export { AbstractDatabaseService, DEFAULT_TIMEOUT_MS } from './abstract-service';
export type { BackendPage, BatchSizes, DeleteOutcome, PreparedWrite, ServiceOptions } from './abstract-service';
export { isUnreachableError, toDatabaseError, withDeadline } from './backend-errors';
export { defineCapabilities, MAX_ID_BYTES } from './capabilities';
export type { Capabilities, NumberRange } from './capabilities';
export { decodeCursor, encodeCursor } from './cursor';
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
export type { ErrorCode, ErrorTarget } from './errors';
export {
  BUILT_IN_PROVIDERS,
  ConfigurationError,
  createDatabaseService,
  DEFAULT_PROVIDER,
  loadAdapter,
} from './provider-factory';
export type { AdapterContext, AdapterDefinition, CreateOptions, SettingDefinition } from './provider-factory';
export { toStoredDocument } from './stored-document';
export type {
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
export { pointer, PreparedDocument, prepareDocument } from './validation/document';
export { assertCollectionName, assertDocumentId } from './validation/names';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './validation/options';
