import { isDatabaseError } from '@gofannon/db-core';

/**
 * A command stopped part-way because a source, a target or a file failed as a whole
 * (not one document). `status` and `code` are those of the underlying `DatabaseError`
 * (503 `unavailable` for a backend that went down), or 500 `internal` otherwise.
 */
export class CommandError extends Error {
  readonly status: number;
  readonly code: string;
  readonly collection: string | undefined;
  /** The per-document failure report, when some documents had failed before the stop. */
  reportFile: string | undefined;

  constructor(
    message: string,
    options: { cause?: unknown; collection?: string; status?: number; code?: string } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CommandError';
    const cause = isDatabaseError(options.cause) ? options.cause : undefined;
    this.status = options.status ?? cause?.status ?? 500;
    this.code = options.code ?? cause?.code ?? 'internal';
    this.collection = options.collection;
  }
}

/** Runs `step`, turning any failure into a {@link CommandError} that says what was being done. */
export async function describeFailure<T>(
  what: string,
  collection: string | undefined,
  step: () => Promise<T>,
): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof CommandError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    const status = isDatabaseError(error) ? ` (${error.status} ${error.code})` : '';
    throw new CommandError(`${what} failed: ${reason}${status}`, { cause: error, collection });
  }
}

/** Adds the failure report, if one was written, to a command error. */
export function withReport(error: unknown, failures: { writtenTo: string | undefined }): unknown {
  if (error instanceof CommandError && failures.writtenTo) error.reportFile = failures.writtenTo;
  return error;
}
