import type { GofannonCollection } from '@gofannon/db-core';
import {
  amount,
  freeObject,
  friendlyName,
  nullableTimestamp,
  reference,
  shortText,
  text,
  timestamp,
} from './field-schemas';

/** How a new document of a collection gets its id on `POST /{collection}`. */
export type IdSource =
  /** The server makes a random UUID (agents). */
  | { kind: 'uuid' }
  /** The body's `_id` names it, under this schema (the seed's natural keys). */
  | { kind: 'body'; schema: Record<string, unknown> };

export interface CollectionDefinition {
  name: GofannonCollection;
  /** What one document is, in the singular, for the API docs. */
  noun: string;
  idSource: IdSource;
  /** The document's own fields (server-managed ones excluded). */
  properties: Record<string, unknown>;
  required: readonly string[];
}

export const TICKET_STATUSES = ['pending', 'processing', 'completed', 'failed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const MESSAGE_ROLES = ['user', 'assistant', 'system', 'tool'] as const;

export const usageRecord = {
  type: 'object',
  additionalProperties: false,
  required: ['timestamp', 'response_cost'],
  properties: {
    timestamp,
    response_cost: amount,
    agent_id: reference,
    session_id: reference,
  },
} as const;

export const message = {
  type: 'object',
  additionalProperties: false,
  required: ['role', 'content', 'timestamp'],
  properties: {
    role: { type: 'string', enum: MESSAGE_ROLES },
    content: text,
    timestamp,
  },
} as const;

/** The six collections of the Gofannon app, with the shapes of the seed's documents. */
export const COLLECTION_DEFINITIONS: readonly CollectionDefinition[] = [
  {
    name: 'agents',
    noun: 'agent',
    idSource: { kind: 'uuid' },
    required: ['name'],
    properties: {
      name: shortText,
      description: { type: ['string', 'null'], maxLength: 100_000 },
      code: text,
      friendly_name: friendlyName,
      tools: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
      input_schema: freeObject,
      output_schema: freeObject,
      gofannon_agents: { type: 'array', items: reference },
    },
  },
  {
    name: 'deployments',
    noun: 'deployment',
    idSource: { kind: 'body', schema: friendlyName },
    required: ['agentId'],
    properties: { agentId: reference },
  },
  {
    name: 'users',
    noun: 'user',
    idSource: { kind: 'body', schema: reference },
    required: ['basic_info', 'usage_info'],
    properties: {
      basic_info: {
        type: 'object',
        additionalProperties: true,
        required: ['display_name', 'email'],
        properties: {
          display_name: shortText,
          email: { type: 'string', format: 'email' },
          picture_url: { type: ['string', 'null'], maxLength: 4096 },
          provider: shortText,
        },
      },
      billing_info: {
        type: 'object',
        additionalProperties: true,
        properties: {
          plan: shortText,
          status: shortText,
          stripe_customer_id: { type: ['string', 'null'] },
          subscription_id: { type: ['string', 'null'] },
        },
      },
      usage_info: {
        type: 'object',
        additionalProperties: true,
        required: ['monthly_allowance', 'spend_remaining'],
        properties: {
          monthly_allowance: amount,
          spend_remaining: amount,
          usage: { type: 'array', items: usageRecord, default: [] },
          last_reset: nullableTimestamp,
        },
      },
    },
  },
  {
    name: 'sessions',
    noun: 'session',
    idSource: { kind: 'body', schema: reference },
    required: ['user_id', 'agent_id'],
    properties: {
      user_id: reference,
      agent_id: reference,
      messages: { type: 'array', items: message, default: [] },
      metadata: freeObject,
      expires_at: nullableTimestamp,
    },
  },
  {
    name: 'tickets',
    noun: 'ticket',
    idSource: { kind: 'body', schema: reference },
    required: ['request'],
    properties: {
      status: { type: 'string', enum: TICKET_STATUSES, default: 'pending' },
      request: freeObject,
      result: { type: ['object', 'null'], additionalProperties: true },
      error: { type: ['string', 'object', 'null'] },
    },
  },
  {
    name: 'demos',
    noun: 'demo',
    idSource: { kind: 'body', schema: reference },
    required: ['name'],
    properties: {
      name: shortText,
      description: { type: ['string', 'null'], maxLength: 100_000 },
      agent_id: reference,
      config: freeObject,
      is_public: { type: 'boolean', default: false },
    },
  },
];

export function collectionDefinition(name: GofannonCollection): CollectionDefinition {
  const found = COLLECTION_DEFINITIONS.find((definition) => definition.name === name);
  if (!found) throw new Error(`No definition for collection ${name}`);
  return found;
}
