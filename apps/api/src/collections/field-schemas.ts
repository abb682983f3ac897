/** JSON Schema pieces shared by the collection schemas. */

export const timestamp = { type: 'string', format: 'date-time' } as const;

export const nullableTimestamp = { type: ['string', 'null'], format: 'date-time' } as const;

export const text = { type: 'string', maxLength: 1_000_000 } as const;

export const shortText = { type: 'string', minLength: 1, maxLength: 512 } as const;

/**
 * A reference to another document's id, under the contract's id rules: 1 to 512 UTF-8
 * bytes, well-formed, no NUL (the `document-id` format of `plugins/validator-compiler.ts`).
 */
export const reference = {
  type: 'string',
  minLength: 1,
  maxLength: 512,
  format: 'document-id',
} as const;

export const freeObject = { type: 'object', additionalProperties: true } as const;

/** A friendly deployment name: lower-case letters, digits and inner dashes, as in a URL. */
export const friendlyName = {
  type: 'string',
  pattern: '^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$',
  description: 'URL-safe name: a-z, 0-9 and inner dashes, 1 to 64 characters',
} as const;

/** Money in USD; kept to 9 decimal places by the usage route. */
export const amount = { type: 'number', minimum: -1e9, maximum: 1e9 } as const;
