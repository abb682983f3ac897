import { Timestamp } from '@google-cloud/firestore';

/**
 * The field an expiring document keeps its expiry in: a Firestore `Timestamp`, what a TTL
 * policy deletes by (`gcloud firestore fields ttls update _expiresAt ...`, see the README)
 * and what the purge queries. Core puts the same instant in the body as `_expiresAt`, an
 * ISO string; the adapter stores it under that name as a `Timestamp` instead, and reads
 * turn it back into the ISO string. No document field can take the name: the contract
 * refuses top-level names starting with "_", and a query cannot name it either.
 * Documents written without an expiry (the Python service's) have no such field.
 */
export const EXPIRES_FIELD = '_expiresAt';

/**
 * The same expiry as an integer, epoch milliseconds, beside {@link EXPIRES_FIELD} on every
 * expiring document (none without an expiry). A delete without a revision reads it back as
 * a transform's result in the very commit that deletes the document (see
 * `commits.ts`): no read first, and an expired document is still told apart. A
 * transform cannot read a `Timestamp`. Reads leave it out, and no caller can name it.
 */
export const EXPIRES_MS_FIELD = '_expiresMs';

/** What a `Timestamp` holds: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z, in epoch ms. */
const EARLIEST_EXPIRY = -62_135_596_800_000;
const LATEST_EXPIRY = 253_402_300_799_999;

/**
 * Whether Firestore can store this expiry (epoch ms). Core takes any instant a `Date` can
 * be (years -271821 to 275760); a `Timestamp` spans the years 1 to 9999.
 */
export function isStorableExpiry(expiresAt: number): boolean {
  return expiresAt >= EARLIEST_EXPIRY && expiresAt <= LATEST_EXPIRY;
}

/** The stored value of an expiry in epoch milliseconds. */
export function toExpiryField(expiresAt: number): Timestamp {
  return Timestamp.fromMillis(expiresAt);
}

/** The fields an expiry (epoch milliseconds) is stored in: the `Timestamp`, and its copy. */
export function expiryFields(expiresAt: number): Record<string, Timestamp | number> {
  const timestamp = toExpiryField(expiresAt);
  return { [EXPIRES_FIELD]: timestamp, [EXPIRES_MS_FIELD]: timestamp.toMillis() };
}

/**
 * The expiry of stored fields in epoch milliseconds, or `undefined` when the document never
 * expires. Only a `Timestamp` is an expiry: a value of another type there was not written
 * by this adapter, and a TTL policy ignores it too.
 */
export function expiryOf(value: unknown): number | undefined {
  return value instanceof Timestamp ? value.toMillis() : undefined;
}
