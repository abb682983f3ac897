import { MemoryDatabaseService } from '@gofannon/db-memory';
import { expiredDocuments } from './expired-documents';
import type { PurgeBenchSettings, PurgeResult } from './results';

/** The memory adapter: its purge reads the collection's expiring documents only. */
export async function measureMemoryPurge(settings: PurgeBenchSettings): Promise<PurgeResult> {
  const service = new MemoryDatabaseService();
  try {
    for (const items of expiredDocuments(settings.documents, Date.now())) {
      await service.saveMany('sessions', items);
    }
    const started = process.hrtime.bigint();
    const purged = await service.purgeExpired('sessions');
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return {
      provider: 'memory',
      backend: 'in-process memory adapter',
      documents: settings.documents,
      purged,
      seconds,
      roundTripsPer1000: 0,
      notes: ['no backend: nothing to count'],
    };
  } finally {
    await service.close();
  }
}
