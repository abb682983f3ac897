import { brokenAdapter as aliasedReads } from './aliased-reads';
import { brokenAdapter as arraysMatchAsContains } from './arrays-match-as-contains';
import { brokenAdapter as badCursorAccepted } from './bad-cursor-accepted';
import type { BrokenAdapter } from './broken-adapter';
import { brokenAdapter as capabilitiesLie } from './capabilities-lie';
import { brokenAdapter as closeNotIdempotent } from './close-not-idempotent';
import { brokenAdapter as coercingEquality } from './coercing-equality';
import { brokenAdapter as createOnlyIgnored } from './create-only-ignored';
import { brokenAdapter as cursorNotBoundToQuery } from './cursor-not-bound-to-query';
import { brokenAdapter as deleteIfRevOnMissingIsConflict } from './delete-if-rev-on-missing-is-conflict';
import { brokenAdapter as deleteIgnoresIfRev } from './delete-ignores-if-rev';
import { brokenAdapter as deleteManyHidesMissing } from './delete-many-hides-missing';
import { brokenAdapter as deleteManyReadsOutageAsMissing } from './delete-many-reads-outage-as-missing';
import { brokenAdapter as deletedLeftInIndex } from './deleted-left-in-index';
import { brokenAdapter as expiredStillExistsForWrites } from './expired-still-exists-for-writes';
import { brokenAdapter as findCreatesCollection } from './find-creates-collection';
import { brokenAdapter as fullLastPageHasCursor } from './full-last-page-has-cursor';
import { brokenAdapter as getManyMisaligned } from './get-many-misaligned';
import { brokenAdapter as getManyReadsOutageAsMissing } from './get-many-reads-outage-as-missing';
import { brokenAdapter as ifRevOnMissingIsNotFound } from './if-rev-on-missing-is-not-found';
import { brokenAdapter as impossiblePositionAccepted } from './impossible-position-accepted';
import { brokenAdapter as indexMissesLaterWrites } from './index-misses-later-writes';
import { brokenAdapter as limitIgnored } from './limit-ignored';
import { brokenAdapter as listAllFirstPageOnly } from './list-all-first-page-only';
import { brokenAdapter as listAllSharesObjects } from './list-all-shares-objects';
import { brokenAdapter as listingCreatesCollection } from './listing-creates-collection';
import { brokenAdapter as missingId } from './missing-id';
import { brokenAdapter as missingIsInternal } from './missing-is-internal';
import { brokenAdapter as missingMatchesNull } from './missing-matches-null';
import { brokenAdapter as mutatedInput } from './mutated-input';
import { brokenAdapter as nonAtomicCreate } from './non-atomic-create';
import { brokenAdapter as nonAtomicDelete } from './non-atomic-delete';
import { brokenAdapter as numbersOrderedAsText } from './numbers-ordered-as-text';
import { brokenAdapter as offsetCursors } from './offset-cursors';
import { brokenAdapter as orderByKeepsMissing } from './order-by-keeps-missing';
import { brokenAdapter as pageDropsDocument } from './page-drops-document';
import { brokenAdapter as pingWaitsForBackend } from './ping-waits-for-backend';
import { brokenAdapter as purgeIgnoresResave } from './purge-ignores-resave';
import { brokenAdapter as queryPagesHalfFull } from './query-pages-half-full';
import { brokenAdapter as rangesCrossTypes } from './ranges-cross-types';
import { brokenAdapter as requireIndexIgnored } from './require-index-ignored';
import { brokenAdapter as revisionReused } from './revision-reused';
import { brokenAdapter as saveIgnoresIfRev } from './save-ignores-if-rev';
import { brokenAdapter as sharedCollections } from './shared-collections';
import { brokenAdapter as staleListAll } from './stale-list-all';
import { brokenAdapter as staleQueryResults } from './stale-query-results';
import { brokenAdapter as stripsInputMeta } from './strips-input-meta';
import { brokenAdapter as tiesAscendingAlways } from './ties-ascending-always';
import { brokenAdapter as utf16StringOrder } from './utf16-string-order';
import { brokenAdapter as worksAfterClose } from './works-after-close';

export type { BrokenAdapter } from './broken-adapter';

/** Every broken adapter; the suite must fail on each. */
export const brokenAdapters: BrokenAdapter[] = [
  aliasedReads,
  mutatedInput,
  stripsInputMeta,
  listAllSharesObjects,
  listAllFirstPageOnly,
  missingId,
  revisionReused,
  saveIgnoresIfRev,
  createOnlyIgnored,
  expiredStillExistsForWrites,
  purgeIgnoresResave,
  deleteIgnoresIfRev,
  nonAtomicCreate,
  nonAtomicDelete,
  sharedCollections,
  pageDropsDocument,
  listingCreatesCollection,
  missingIsInternal,
  badCursorAccepted,
  limitIgnored,
  getManyMisaligned,
  closeNotIdempotent,
  capabilitiesLie,
  staleListAll,
  deleteManyHidesMissing,
  worksAfterClose,
  ifRevOnMissingIsNotFound,
  deleteIfRevOnMissingIsConflict,
  deletedLeftInIndex,
  fullLastPageHasCursor,
  impossiblePositionAccepted,
  pingWaitsForBackend,
  getManyReadsOutageAsMissing,
  deleteManyReadsOutageAsMissing,
  utf16StringOrder,
  coercingEquality,
  missingMatchesNull,
  arraysMatchAsContains,
  tiesAscendingAlways,
  numbersOrderedAsText,
  rangesCrossTypes,
  orderByKeepsMissing,
  offsetCursors,
  cursorNotBoundToQuery,
  requireIndexIgnored,
  queryPagesHalfFull,
  staleQueryResults,
  indexMissesLaterWrites,
  findCreatesCollection,
];
