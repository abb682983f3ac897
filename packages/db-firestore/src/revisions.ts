import { revisionToken } from '@gofannon/db-core/adapter';
import { Timestamp } from '@google-cloud/firestore';

/**
 * A revision is the document's update time, `<seconds>.<9-digit nanoseconds>`. Firestore
 * checks it exactly (a `lastUpdateTime` precondition) and commits to one document get ever
 * later times, across delete and re-create too, so a revision is never reused.
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

/** The revision of a document updated at this time. */
export function toRevision(updateTime: Timestamp): string {
  return `${updateTime.seconds}.${String(updateTime.nanoseconds).padStart(9, '0')}`;
}

const REVISION = /^(0|[1-9][0-9]{0,11})\.([0-9]{9})$/;
/** Timestamp's own bound: 9999-12-31T23:59:59Z. */
const MAX_SECONDS = 253_402_300_799;

/** The update time a revision names, or undefined when it cannot be one of ours. */
export function fromRevision(rev: string): Timestamp | undefined {
  const match = REVISION.exec(rev);
  if (!match) return undefined;
  const seconds = Number(match[1]);
  return seconds <= MAX_SECONDS ? new Timestamp(seconds, Number(match[2])) : undefined;
}
