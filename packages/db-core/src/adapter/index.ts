/**
 * `@gofannon/db-core/adapter`: what adapter implementers share, so that every adapter
 * retries, makes revisions, splits batches, maps batch outcomes, checks cursor positions
 * and reads settings the same way. Applications never need this entry; they use
 * `@gofannon/db-core`.
 */
export type {
  BackendPage,
  BatchSizes,
  DeleteOutcome,
  PreparedWrite,
  RetryPolicy,
  ServiceOptions,
} from '@gofannon/db-core';
export {
  AbstractDatabaseService,
  DEFAULT_RETRY_POLICY,
  isDocumentId,
  isUnreachableError,
  readDeclaredSettings,
  toChunks,
  toDatabaseError,
} from '@gofannon/db-core';
export { copyJson } from './copy-json';
export { OneAtATime } from './one-at-a-time';
export { itemTarget, settleEach } from './outcomes';
export { idPosition } from './positions';
export type { RetryOptions } from './retry';
export { backoffDelay, RETRY, retry, sleep, throwIfAborted, untilAborted } from './retry';
export { nextRevision, revisionToken } from './revisions';
export { SettingsReader } from './settings';
export { SharedWork } from './shared-work';
