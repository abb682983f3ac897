import { Firestore } from '@google-cloud/firestore';
import { afterEach, describe, expect, it } from 'vitest';
import { handleTerminatedPoolRefusals } from '../src/terminated-client';

/** The client's private pool, as its own retry loops call it. */
type Pool = { run(tag: string, grpc: boolean, op: () => Promise<void>): Promise<void> };

describe("the Firestore client's requests after terminate()", () => {
  const unhandled: unknown[] = [];
  const record = (reason: unknown) => unhandled.push(reason);
  afterEach(() => {
    process.off('unhandledRejection', record);
  });

  it('are refused without an unhandled rejection; an awaiting caller still sees the refusal', async () => {
    process.on('unhandledRejection', record);
    // Never connects: the pool is refused before any request is made.
    const firestore = new Firestore({ projectId: 'p', host: '127.0.0.1:1', ssl: false });
    handleTerminatedPoolRefusals(firestore);
    await firestore.terminate();
    const pool = (firestore as unknown as { _clientPool: Pool })._clientPool;
    // As the client's retry loop does: started and dropped.
    void pool.run('retry', false, async () => {});
    await expect(pool.run('awaited', false, async () => {})).rejects.toThrow(/terminated/);
    // Node reports unhandled rejections once the microtasks of a turn have run.
    await new Promise((resolve) => setImmediate(resolve));
    expect(unhandled).toEqual([]);
  });
});
