import {
  type DatabaseError,
  type ErrorTarget,
  UnavailableError,
  ValidationError,
} from '@gofannon/db-core';

/** gRPC status codes the adapter acts on. */
export const GrpcCode = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  FAILED_PRECONDITION: 9,
} as const;

/** The gRPC status code of a Firestore error, if it has one. */
export function grpcCode(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

// CANCELLED, UNKNOWN (a dropped connection), DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED,
// ABORTED (contention), UNAVAILABLE.
const TRANSIENT = new Set([1, 2, 4, 8, 10, 14]);
// PERMISSION_DENIED, UNAUTHENTICATED.
const ACCESS = new Set([7, 16]);

/** Messages of the auth library: no credentials found, or a token could not be had. */
const NO_CREDENTIALS =
  /default credentials|could not (load|refresh)|invalid_grant|getting metadata/i;

/**
 * Maps what the Firestore client throws to the contract's errors, by gRPC status code.
 * Codes the adapter expects (a failed precondition, say) are handled where they occur;
 * NOT_FOUND arriving here means the project or database does not exist.
 */
export function translateFirestoreError(
  error: unknown,
  target: ErrorTarget,
): DatabaseError | undefined {
  const options = { ...target, cause: error };
  const code = grpcCode(error);
  const message = (error as { message?: unknown } | null)?.message;
  const detail = `Firestore: ${typeof message === 'string' ? message : String(error)}`;
  if (code === undefined) {
    return typeof message === 'string' && NO_CREDENTIALS.test(message)
      ? new UnavailableError(
          `${detail} (set GOOGLE_APPLICATION_CREDENTIALS, or FIRESTORE_EMULATOR_HOST for the emulator)`,
          options,
        )
      : undefined;
  }
  if (TRANSIENT.has(code)) return new UnavailableError(detail, options);
  if (ACCESS.has(code)) {
    return new UnavailableError(
      `${detail} (check the credentials and their rights on the project)`,
      options,
    );
  }
  if (code === GrpcCode.NOT_FOUND) {
    return new UnavailableError(
      `${detail} (check FIRESTORE_PROJECT_ID and FIRESTORE_DATABASE_ID)`,
      options,
    );
  }
  // The adapter measures sizes itself; what Firestore still refuses is a value it cannot take.
  if (code === GrpcCode.INVALID_ARGUMENT) return new ValidationError(detail, options);
  return undefined;
}
