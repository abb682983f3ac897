import type { SaveManyItem } from '@gofannon/db-core';

/**
 * `count` session-like documents that expired a minute before `now`, in chunks of `chunk`,
 * so a caller can save them without holding them all at once.
 */
export function* expiredDocuments(
  count: number,
  now: number,
  chunk = 500,
): Generator<SaveManyItem[]> {
  for (let start = 0; start < count; start += chunk) {
    const items: SaveManyItem[] = [];
    for (let i = start; i < Math.min(count, start + chunk); i++) {
      items.push({
        id: `session-${String(i).padStart(7, '0')}`,
        doc: { user_id: `user-${i % 100}`, messages: [], created_at: new Date(now).toISOString() },
        expiresAt: now - 60_000,
      });
    }
    yield items;
  }
}
