/** Server-set timestamps: ISO-8601 in UTC with milliseconds, as `Date#toISOString` writes them. */
export function now(): string {
  return new Date().toISOString();
}
