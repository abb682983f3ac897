import { type DatabaseService, isDatabaseError, type StoredDocument } from '@gofannon/db-core';

/** The document, or undefined when there is none (every other error is thrown). */
export async function findDocument(
  db: DatabaseService,
  collection: string,
  id: string,
): Promise<StoredDocument | undefined> {
  try {
    return await db.get(collection, id);
  } catch (error) {
    if (isDatabaseError(error) && error.status === 404) return undefined;
    throw error;
  }
}
