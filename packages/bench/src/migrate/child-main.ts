/**
 * Entry of the child process that makes one migrate measurement (started by
 * `run-migrate-bench.ts` with `--expose-gc`): reads the spec from argv, measures, sends the
 * result or the error over the IPC channel, and exits. It exits as well when the parent
 * goes away, so no measurement outlives the bench.
 */
import { limitHeapGrowth } from '@gofannon/db-cli';
import { errorText, sendToParent } from '../process/parent-channel';
import { type MeasureSpec, measureMigration } from './measure';

export type ChildMessage =
  | { ok: true; measurement: Awaited<ReturnType<typeof measureMigration>> }
  | { ok: false; error: string };

process.on('disconnect', () => process.exit(1));
// Measured as the gofannon-db command runs, with its heap setting.
limitHeapGrowth();

let message: ChildMessage;
try {
  const spec = JSON.parse(process.argv[2] ?? '') as MeasureSpec;
  message = { ok: true, measurement: await measureMigration(spec) };
} catch (error) {
  message = { ok: false, error: errorText(error) };
}
await sendToParent(message);
process.exit(message.ok ? 0 : 1);
