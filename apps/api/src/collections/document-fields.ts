import type { StoredDocument } from '@gofannon/db-core';
import { now } from '../http/clock';

/** A request body, minus the fields the server decides. */
export function ownFields(body: Record<string, unknown>): Record<string, unknown> {
  const { _id, _rev, created_at, updated_at, ...fields } = body;
  return fields;
}

/** The content to store: the body's own fields, with the server's timestamps. */
export function stamped(
  body: Record<string, unknown>,
  current: StoredDocument | undefined,
): Record<string, unknown> {
  const time = now();
  const created = typeof current?.created_at === 'string' ? current.created_at : time;
  return { ...ownFields(body), created_at: created, updated_at: time };
}
