import { SeededRandom } from '../workload/random';

/** Ticket statuses: ten values, so an equality on one matches about a tenth of the documents. */
export const STATUSES = Array.from({ length: 10 }, (_, i) => `status-${i}`);

/** The status the measured query asks for. */
export const QUERIED_STATUS = 'status-3';

/**
 * `count` ticket-like documents, the same for every target of a run: a status of ten,
 * a creation time (seconds, ties possible, so the `_id` tie-break matters), a priority and
 * a title. Made in chunks, so a caller can save them without holding them all at once.
 */
export function* findDocuments(
  count: number,
  seed: number,
  chunk = 1_000,
): Generator<Array<{ id: string; doc: Record<string, unknown> }>> {
  const random = new SeededRandom(seed);
  for (let start = 0; start < count; start += chunk) {
    const items = [];
    for (let i = start; i < Math.min(count, start + chunk); i++) {
      items.push({
        id: `ticket-${String(i).padStart(7, '0')}`,
        doc: {
          status: random.pick(STATUSES),
          created_at: 1_700_000_000 + random.below(count * 10),
          priority: random.below(5),
          title: `ticket number ${i}`,
        },
      });
    }
    yield items;
  }
}

/** The fields of the index the query needs, by core's rule: equality field, then order field. */
export const INDEX_FIELDS = ['status', 'created_at'];

/** The measured query: one status, newest first, in pages of `limit`. */
export function findQuery(limit: number) {
  return {
    where: [['status', '==', QUERIED_STATUS]] as Array<[string, '==', string]>,
    orderBy: { field: 'created_at', direction: 'desc' as const },
    limit,
  };
}
