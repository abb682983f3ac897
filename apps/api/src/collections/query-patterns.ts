import type { GofannonCollection } from '@gofannon/db-core';
import { TICKET_STATUSES } from './definitions';
import { reference } from './field-schemas';

/**
 * How `GET /{collection}` may be filtered and sorted: equality filters on declared fields
 * (a query parameter per field, named by its dot path), a sort on a declared field, and
 * the indexes the API makes at start-up for the combinations its clients use. Any other
 * combination of the declared filters still works (the database reads more to answer it).
 */
export interface QueryPatterns {
  /** Filterable fields by dot path, each with the JSON Schema of its query value. */
  readonly filters: Readonly<Record<string, object>>;
  /** Fields `sort` may name (`field` ascending, `-field` descending). */
  readonly sorts: readonly string[];
  /** Indexes ensured at start-up: each the equality fields, then the sort field if any. */
  readonly indexes: readonly (readonly string[])[];
}

const SERVER_TIMES = ['created_at', 'updated_at'] as const;

export const QUERY_PATTERNS: Readonly<Record<GofannonCollection, QueryPatterns>> = {
  agents: {
    filters: { friendly_name: reference },
    sorts: ['name', ...SERVER_TIMES],
    indexes: [['friendly_name'], ['created_at']],
  },
  deployments: {
    filters: { agentId: reference },
    sorts: [...SERVER_TIMES],
    // Deleting an agent finds its deployments by this index.
    indexes: [['agentId']],
  },
  users: {
    filters: { 'basic_info.email': reference },
    sorts: [...SERVER_TIMES],
    indexes: [['basic_info.email']],
  },
  sessions: {
    filters: { user_id: reference, agent_id: reference },
    sorts: [...SERVER_TIMES, 'expires_at'],
    indexes: [['user_id'], ['user_id', 'updated_at'], ['agent_id']],
  },
  tickets: {
    filters: { status: { type: 'string', enum: TICKET_STATUSES } },
    sorts: [...SERVER_TIMES],
    indexes: [['status'], ['status', 'created_at']],
  },
  demos: {
    filters: { agent_id: reference, is_public: { type: 'boolean' } },
    sorts: ['name', ...SERVER_TIMES],
    indexes: [['agent_id'], ['is_public', 'created_at']],
  },
};

/** The `sort` values a collection accepts: each sortable field, ascending and descending. */
export function sortValues(patterns: QueryPatterns): string[] {
  return patterns.sorts.flatMap((field) => [field, `-${field}`]);
}
