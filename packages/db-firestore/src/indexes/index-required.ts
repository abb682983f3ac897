import { IndexRequiredError } from '@gofannon/db-core';
import { GrpcCode, grpcCode } from '../firestore-errors';
import { type CompositeIndex, gcloudIndexCommands } from './composite-indexes';

/**
 * The 400 `index_required` for Firestore's answer to a query that lacks its composite
 * index (FAILED_PRECONDITION, "The query requires an index"), naming the index and the
 * command that creates it; `undefined` for any other error. The emulator never refuses a
 * query this way, the real service does.
 */
export function indexRequiredError(
  error: unknown,
  collection: string,
  index: CompositeIndex,
): IndexRequiredError | undefined {
  if (grpcCode(error) !== GrpcCode.FAILED_PRECONDITION) return undefined;
  const fields = index.fields.map((f) => `${f.fieldPath} ${f.order.toLowerCase()}`).join(', ');
  const [command] = gcloudIndexCommands([index]);
  return new IndexRequiredError(
    `Firestore needs a composite index on ${index.collectionGroup} (${fields}) for this query. Create it with: ${command} (or deploy the firestore.indexes.json that firestoreIndexesFile(service.requiredIndexes()) writes after ensureIndex)`,
    { collection, cause: error },
  );
}
