import { assertCollectionName, GOFANNON_COLLECTIONS } from '@gofannon/db-core';

/** A `DatabaseService` cannot list its collections, so commands use Gofannon's own by default. */
export { GOFANNON_COLLECTIONS };

/** Checks a list of collection names (400-style `ValidationError` on a bad one) and drops repeats. */
export function resolveCollections(collections: readonly string[] | undefined): string[] {
  const names = collections ?? GOFANNON_COLLECTIONS;
  for (const name of names) assertCollectionName(name);
  return [...new Set(names)];
}
