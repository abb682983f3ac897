import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '@gofannon/db-core';
import type { CollectionDefinition } from './definitions';
import { timestamp } from './field-schemas';
import { type QueryPatterns, sortValues } from './query-patterns';

/** Fields the server manages: accepted in a body (so a fetched document can be sent back) and overwritten. */
const serverManaged = {
  _rev: { type: 'string', description: 'ignored: use If-Match for compare-and-set' },
  created_at: { ...timestamp, description: 'set by the server' },
  updated_at: { ...timestamp, description: 'set by the server' },
} as const;

/** Body of `POST /{collection}`: the document, with `_id` where the collection takes it from the body. */
export function createBodySchema(definition: CollectionDefinition) {
  const byBody = definition.idSource.kind === 'body';
  return {
    type: 'object',
    additionalProperties: false,
    required: byBody ? ['_id', ...definition.required] : [...definition.required],
    properties: {
      ...(definition.idSource.kind === 'body' ? { _id: definition.idSource.schema } : {}),
      ...definition.properties,
      ...serverManaged,
    },
  } as const;
}

/** Body of `PUT /{collection}/{id}`: the whole document; an `_id`, if sent, must be the URL's. */
export function replaceBodySchema(definition: CollectionDefinition) {
  return {
    type: 'object',
    additionalProperties: false,
    required: [...definition.required],
    properties: { _id: { type: 'string' }, ...definition.properties, ...serverManaged },
  } as const;
}

/**
 * A stored document in a response. Only the fields every document has are typed here, so a
 * document written by another tool is returned as it is, never reshaped by the serializer.
 */
export function documentSchema(definition: CollectionDefinition) {
  return {
    type: 'object',
    description: `A stored ${definition.noun}: the fields of its request body, plus _id, _rev and the server's timestamps`,
    additionalProperties: true,
    required: ['_id', '_rev'],
    properties: { _id: { type: 'string' }, _rev: { type: 'string' } },
  } as const;
}

export function pageSchema(item: object) {
  return {
    type: 'object',
    required: ['documents', 'nextCursor'],
    properties: {
      documents: { type: 'array', items: item },
      nextCursor: {
        type: ['string', 'null'],
        description: 'pass as `cursor` for the next page; null at the end',
      },
    },
  } as const;
}

/**
 * Query string of `GET /{collection}`: the page, equality filters on the collection's
 * declared fields and a sort. Anything else is 400, so a misspelt filter is never ignored.
 */
export function listQuerySchema(patterns: QueryPatterns) {
  const filters = Object.fromEntries(
    Object.entries(patterns.filters).map(([field, schema]) => [
      field,
      { ...schema, description: `only documents whose ${field} is this value` },
    ]),
  );
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE },
      cursor: {
        type: 'string',
        minLength: 1,
        description: 'the nextCursor of the previous page, with the same filters and sort',
      },
      sort: {
        type: 'string',
        enum: sortValues(patterns),
        description:
          'a field to sort by, descending with a leading "-"; ties, and no sort, go by _id. Strings sort by Unicode code point.',
      },
      ...filters,
    },
  } as const;
}

export const idParamsSchema = {
  type: 'object',
  required: ['id'],
  properties: {
    id: { type: 'string', description: 'the document id (percent-encoded in the URL)' },
  },
} as const;

export const errorSchema = {
  type: 'object',
  required: ['error', 'requestId'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        collection: { type: 'string' },
        id: { type: 'string' },
      },
    },
    requestId: { type: 'string' },
  },
} as const;

/** The error answers a route can give, for the OpenAPI document. */
export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(statuses.map((status) => [status, errorSchema]));
}
