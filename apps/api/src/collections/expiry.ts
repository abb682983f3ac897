import type { SaveOptions } from '@gofannon/db-core';

/**
 * The field whose time a document of the collection expires at: a session's `expires_at`
 * ("for automatic cleanup" in the Gofannon seed) is its expiry in the database too.
 */
const EXPIRY_FIELDS: Readonly<Partial<Record<string, string>>> = { sessions: 'expires_at' };

/** The collections whose documents can expire: what the periodic purge looks at. */
export const EXPIRING_COLLECTIONS: readonly string[] = Object.keys(EXPIRY_FIELDS);

/** The save option that makes `fields` expire when its collection says so; none otherwise. */
export function expiryOf(
  collection: string,
  fields: Record<string, unknown>,
): Pick<SaveOptions, 'expiresAt'> {
  const field = EXPIRY_FIELDS[collection];
  const at = field === undefined ? undefined : fields[field];
  return typeof at === 'string' ? { expiresAt: at } : {};
}

/** `_expiresAt` as a read of the saved document would show it, for an answer made without one. */
export function shownExpiry(expiry: Pick<SaveOptions, 'expiresAt'>): { _expiresAt?: string } {
  return expiry.expiresAt === undefined
    ? {}
    : { _expiresAt: new Date(expiry.expiresAt).toISOString() };
}
