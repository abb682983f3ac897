import { revisionToken } from '@gofannon/db-core/adapter';
import { Timestamp } from '@google-cloud/firestore';
import { isStorableExpiry } from './expiry';

/**
 * A revision is the document's update time, `<seconds>.<9-digit nanoseconds>`, and for an
 * expiring document its expiry in epoch milliseconds after a `-`:
 * `1795730996.911790000-1798322996000` (an expiry before 1970 keeps its own minus sign:
 * `...-` then `-5`). Firestore checks the update time exactly (a `lastUpdateTime`
 * precondition) and commits to one document get ever later times, across delete and
 * re-create too, so a revision is never reused. The expiry is there because no
 * precondition can test a field: the caller's revision alone tells whether the document
 * at that revision has expired, so a conditional write need not read it first.
 *
 * Firestore keeps the update time of a write that changes nothing, so every write also
 * stores a fresh random tag in this field, which reads leave out. Callers cannot write it:
 * the contract refuses top-level names starting with "_".
 */
export const WRITE_TAG_FIELD = '_write';

/** A new value for {@link WRITE_TAG_FIELD}. */
export function writeTag(): string {
  return revisionToken();
}

/** What a revision of ours names. */
export interface Revision {
  /** The document's update time: the precondition of a write at this revision. */
  readonly updateTime: Timestamp;
  /** The document's expiry in epoch milliseconds; `undefined` when it never expires. */
  readonly expiresAt: number | undefined;
}

/** The revision of a document updated at this time, expiring at `expiresAt` (epoch ms) if given. */
export function toRevision(updateTime: Timestamp, expiresAt?: number): string {
  const time = `${updateTime.seconds}.${String(updateTime.nanoseconds).padStart(9, '0')}`;
  return expiresAt === undefined ? time : `${time}-${expiresAt}`;
}

// Firestore keeps times to the microsecond: the last three digits of the nanoseconds are 0.
const REVISION = /^(0|[1-9][0-9]{0,11})\.([0-9]{6}000)(?:-(0|-?[1-9][0-9]{0,14}))?$/;
/** Timestamp's own bound: 9999-12-31T23:59:59Z. */
const MAX_SECONDS = 253_402_300_799;

/**
 * What a revision names, or undefined when it cannot be one of ours: the update time (one
 * Firestore can give: to the microsecond, after 1970) and the expiry (the milliseconds a
 * stored Timestamp can have, written as `toRevision` writes them: no leading zeros, no
 * `-0`). A write at the revision goes with its update time as precondition, with no read
 * to compare it first, so what no document can have must be refused here: Firestore
 * refuses a finer time (400, not the conflict it is), and the emulator takes the zero
 * time for the version of a document that does not exist (a save there would create it).
 */
export function fromRevision(rev: string): Revision | undefined {
  const match = REVISION.exec(rev);
  if (!match) return undefined;
  const seconds = Number(match[1]);
  const nanoseconds = Number(match[2]);
  if (seconds > MAX_SECONDS || (seconds === 0 && nanoseconds === 0)) return undefined;
  const expiresAt = match[3] === undefined ? undefined : Number(match[3]);
  if (expiresAt !== undefined && !isStorableExpiry(expiresAt)) return undefined;
  return { updateTime: new Timestamp(seconds, nanoseconds), expiresAt };
}
