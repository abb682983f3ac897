import { GrpcCode, grpcCode } from '../firestore-errors';

/**
 * The emulator refuses a descending walk over document ids with no filter
 * (FAILED_PRECONDITION "Firestore does not support descending key scans"); the real
 * service serves it from its automatic index. Such a query is answered by core's scan.
 */
export class KeyScanRefused extends Error {
  constructor(cause: unknown) {
    super('Firestore refused a descending scan of document ids', { cause });
  }
}

/** Whether an error is Firestore's refusal of a descending document-id scan. */
export function isKeyScanRefusal(error: unknown): boolean {
  const details = (error as { details?: unknown } | null)?.details;
  return (
    grpcCode(error) === GrpcCode.FAILED_PRECONDITION &&
    typeof details === 'string' &&
    /descending key scans/i.test(details)
  );
}
