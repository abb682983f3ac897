import {
  type DatabaseError,
  type ErrorTarget,
  TooLargeError,
  UnavailableError,
  ValidationError,
} from '@gofannon/db-core';

/** Errors that mean "slow down" or "try again": DynamoDB's throttling and its own outages. */
const BUSY = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'InternalServerError',
  // DynamoDB Local's name for the same (it answers some writes so while it builds an index).
  'InternalFailure',
  'ServiceUnavailable',
  'TransactionInProgressException',
  // The client's own: a request that ran past its time, or was cut off.
  'TimeoutError',
  'AbortError',
  'RequestTimeout',
]);

/** Errors about who is calling: no credentials, wrong ones, or no permission. */
const ACCESS = new Set([
  'CredentialsProviderError',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'MissingAuthenticationTokenException',
  'ExpiredTokenException',
  'AccessDeniedException',
]);

/** The name DynamoDB or the client gives an error. */
export function errorName(error: unknown): string | undefined {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : undefined;
}

/** Whether DynamoDB said the table does not exist (or is still being created). */
export function isMissingTable(error: unknown): boolean {
  return errorName(error) === 'ResourceNotFoundException';
}

/** Whether a conditional request's condition did not hold. */
export function isConditionFailure(error: unknown): boolean {
  return errorName(error) === 'ConditionalCheckFailedException';
}

/** DynamoDB's answer to an item over 400 KB, the way it counts sizes. */
export function isItemTooLarge(error: unknown): boolean {
  return (
    errorName(error) === 'ValidationException' &&
    /item size (to update )?has exceeded/i.test(String((error as Error).message))
  );
}

/**
 * Maps DynamoDB's errors: throttling, its own outages and timeouts are 503, so are
 * credential and permission problems (with a hint); an item over DynamoDB's size limit is
 * 413; a value DynamoDB refuses is 400. Anything else falls back to the shared mapping.
 */
export function translateDynamoDbError(
  error: unknown,
  target: ErrorTarget,
): DatabaseError | undefined {
  const name = errorName(error);
  if (name === undefined) return undefined;
  const message = String((error as Error).message);
  if (BUSY.has(name)) {
    return new UnavailableError(`DynamoDB is busy or unavailable (${name}); try again`, {
      ...target,
      cause: error,
    });
  }
  if (ACCESS.has(name)) {
    return new UnavailableError(
      `DynamoDB refused the credentials or the permission (${name}); check the AWS credentials and the IAM policy`,
      { ...target, cause: error },
    );
  }
  if (isItemTooLarge(error)) {
    return new TooLargeError(
      `The item is over DynamoDB's 400 KB limit as DynamoDB counts it (attribute names, values and per-element overhead)`,
      { ...target, cause: error },
    );
  }
  if (name === 'ValidationException') {
    return new ValidationError(`DynamoDB refused the document: ${message}`, {
      ...target,
      cause: error,
    });
  }
  return undefined;
}
