import { assertCollectionName } from '@gofannon/db-core';

/**
 * The collections Gofannon itself uses. A `DatabaseService` cannot list the collections
 * it holds, so commands work on these unless `--collections` names others.
 */
export const GOFANNON_COLLECTIONS: readonly string[] = Object.freeze([
  'agents',
  'deployments',
  'users',
  'sessions',
  'tickets',
  'demos',
]);

/** Checks a list of collection names (400-style `ValidationError` on a bad one) and drops repeats. */
export function resolveCollections(collections: readonly string[] | undefined): string[] {
  const names = collections ?? GOFANNON_COLLECTIONS;
  for (const name of names) assertCollectionName(name);
  return [...new Set(names)];
}
