/** The range of numbers a backend can store; others are refused with 400. */
export interface NumberRange {
  /** The largest absolute value that can be stored. */
  readonly maxAbs: number;
  /** The smallest non-zero absolute value that can be stored. */
  readonly minAbs: number;
}

/**
 * Whether `find` reads what was written before it started. Where a backend's indexes are
 * eventually consistent (DynamoDB's global secondary indexes), the adapter declares
 * `consistent: false` and the bound within which results converge.
 */
export type QueryCapabilities =
  | { readonly consistent: true }
  | { readonly consistent: false; readonly convergenceMs: number };

/**
 * What an adapter supports and the limits it enforces. The conformance suite reads it:
 * everything declared here must work, and every declared limit must be enforced.
 */
export interface Capabilities {
  /** Largest document accepted, counted as the UTF-8 bytes of its JSON encoding. */
  readonly maxDocumentBytes: number;
  /** Longest id accepted, in UTF-8 bytes. Always 512. */
  readonly maxIdBytes: number;
  /** Deepest nesting of objects and arrays accepted; the document itself is level 1. */
  readonly maxNestingDepth: number;
  /** Whether `saveMany` and `deleteMany` apply all items or none. */
  readonly atomicBatches: boolean;
  /** Present when the backend cannot store every finite double. */
  readonly numberRange?: NumberRange;
  /** `false` when strings and field names cannot contain U+0000 (NUL); allowed when absent. */
  readonly nulCharacters?: boolean;
  /** `false` when a field name cannot be the empty string; allowed when absent. */
  readonly emptyFieldNames?: boolean;
  /** How `find` sees recent writes; `{ consistent: true }` (read-after-write) when absent. */
  readonly queries?: QueryCapabilities;
  /**
   * `true` when the adapter stores expiring documents (`expiresAt`): its writes treat a
   * document expired by `this.now()` as absent and it can purge them. Without it,
   * `expiresAt` is refused with 400 and the suite's expiry cases are skipped.
   */
  readonly expiry?: boolean;
}

/** Ids are limited to this many UTF-8 bytes on every adapter. */
export const MAX_ID_BYTES = 512;

/** Builds a capabilities object, filling in the values every adapter shares. */
export function defineCapabilities(
  capabilities: Omit<Capabilities, 'maxIdBytes'> & { maxIdBytes?: never },
): Capabilities {
  const { queries = { consistent: true } } = capabilities;
  if (
    !queries.consistent &&
    !(Number.isInteger(queries.convergenceMs) && queries.convergenceMs > 0)
  ) {
    throw new TypeError('queries.convergenceMs must be a positive whole number of milliseconds');
  }
  return Object.freeze({ ...capabilities, queries, maxIdBytes: MAX_ID_BYTES });
}
