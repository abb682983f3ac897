import { isDocumentId, ValidationError } from '@gofannon/db-core';

/**
 * Checks a list position an adapter gets back from a cursor, for adapters whose positions
 * are document ids (the last id of a page): anything else is a forged or foreign cursor,
 * 400. `valid` narrows it further where the backend's own ids are stricter.
 */
export function idPosition(
  after: string,
  collection: string,
  valid: (position: string) => boolean = isDocumentId,
): string {
  if (valid(after)) return after;
  throw new ValidationError('Invalid cursor: it names no position in this collection', {
    collection,
  });
}
