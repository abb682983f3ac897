import { eventually, expectStored, labelled } from './expectations';
import { type CaseContext, defineCases, within } from './harness';
import type { ResolvedOptions } from './options';
import { batchCalls, type Operation, settle, singleCalls } from './unavailable';

/**
 * The time limits of an outage case, all derived from the adapter's `timeoutMs` and the
 * suite's `testTimeoutMs`, so that the case ends, with the backend restored, before its
 * own vitest time limit ({@link outageCaseTimeoutMs}) however slow each step is.
 */
function outageLimits(options: ResolvedOptions) {
  const timeoutMs = (options.outage as NonNullable<ResolvedOptions['outage']>).timeoutMs;
  // The contract's bound plus room for a busy event loop to deliver the 503.
  const callMs = timeoutMs + Math.max(1_000, Math.ceil(timeoutMs / 2));
  return {
    timeoutMs,
    callMs,
    // Stopping and starting the server are the fixture's business, not the adapter's: they
    // share the ordinary per-test budget.
    controlMs: Math.floor(options.testTimeoutMs / 2),
    // After the restart a call may still meet a dead connection and fail once, in time.
    recoveryMs: 2 * callMs,
  };
}

/** The calls an outage case makes besides those during the outage: before, and after it. */
const CALLS_AROUND_THE_OUTAGE = 5;

/**
 * The vitest time limit of an outage case that makes `calls` calls during the outage: the
 * sum of its steps' limits, and one recovery's worth more for creating and closing the
 * service.
 */
function outageCaseTimeoutMs(calls: number) {
  return (options: ResolvedOptions): number => {
    const limits = outageLimits(options);
    return (
      2 * limits.controlMs +
      (calls + CALLS_AROUND_THE_OUTAGE) * limits.callMs +
      2 * limits.recoveryMs
    );
  };
}

/**
 * Stops the backend, makes each call and checks its answer is a clean 503 in bounded time,
 * then restores the backend, whatever happened, and checks the same service works again.
 */
async function duringOutage(
  { service, collection, options }: CaseContext,
  calls: (rev: string) => Operation[],
): Promise<void> {
  const outage = options.outage as NonNullable<ResolvedOptions['outage']>;
  const limits = outageLimits(options);
  await within('saving before the outage', limits.callMs, () =>
    service.save(collection, 'a', { v: 1 }),
  );
  const { rev } = await within('saving before the outage', limits.callMs, () =>
    service.save(collection, 'b', { v: 1 }),
  );
  let failure: unknown;
  try {
    const stopping = 'stopping the backend (outage.stop)';
    await labelled(
      stopping,
      within(stopping, limits.controlMs, () => outage.stop()),
    );
    for (const operation of calls(rev)) {
      const settled = await within(
        `${operation.name} during the outage (timeoutMs ${limits.timeoutMs})`,
        limits.callMs,
        () => settle(operation.call()),
      );
      const problem = operation.problem(settled);
      if (problem !== undefined) throw new Error(`${operation.name} during the outage: ${problem}`);
    }
  } catch (error) {
    failure = error;
  }
  try {
    const starting = 'restarting the backend (outage.start)';
    await labelled(
      starting,
      within(starting, limits.controlMs, () => outage.start()),
    );
  } catch (restoreError) {
    if (failure === undefined) throw restoreError;
    throw new AggregateError(
      [failure, restoreError],
      `${String(failure)}; restoring the backend failed too: ${String(restoreError)}`,
    );
  }
  if (failure !== undefined) throw failure;
  // The restarted backend may have lost its data; what matters is that this object works again.
  await within('ping after the restart', limits.recoveryMs + limits.callMs, () =>
    eventually(() => service.ping(), limits.recoveryMs),
  );
  const after = await within('saving after the restart', limits.callMs, () =>
    service.save(collection, 'after', { v: 2 }),
  );
  const stored = await within('reading after the restart', limits.callMs, () =>
    service.get(collection, 'after'),
  );
  expectStored(stored, { v: 2 }, 'after', after.rev);
}

const singles = defineCases(
  'lifecycle',
  {
    async 'a stopped backend gives 503 in bounded time, and the same service recovers'(context) {
      await duringOutage(context, () => singleCalls(context.service, context.collection));
    },
  },
  { requires: 'outage', timeoutMs: outageCaseTimeoutMs(6) },
);

const batches = defineCases(
  'lifecycle',
  {
    async 'batch calls during an outage give 503 in bounded time, nothing half-reported'(context) {
      await duringOutage(context, (rev) => batchCalls(context.service, context.collection, rev));
    },
  },
  { requires: 'outage', timeoutMs: outageCaseTimeoutMs(3) },
);

/** These need the `outage` option, and are reported as skipped without it. */
export const outageCases = [...singles, ...batches];
