/** An HTTP-level refusal that is not a database error: 401, 404 route, 412, 415 and such. */
export class ApiError extends Error {
  override name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function preconditionFailed(message: string): ApiError {
  return new ApiError(412, 'precondition_failed', message);
}
