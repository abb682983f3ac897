import type { DatabaseService } from '@gofannon/db-core';
import { expect } from 'vitest';
import { eventually, expectDatabaseError } from './expectations';
import { defineCases } from './harness';
import type { RequestGate } from './options';

/** The time limit of the services these cases make: short, the cases wait on it. */
const TIMEOUT_MS = 1_000;

/**
 * After a call's 503, nothing of it reaches the backend any more. The gate holds every
 * request, so the call can only end by its deadline or its caller's abort; then the gate
 * passes requests again, and the case watches for twice the time limit (long enough for a
 * client's own retry of a request that ran past its time, or a retry loop's next attempt)
 * that no request arrives.
 */
async function expectNothingAfter(
  gate: RequestGate,
  service: DatabaseService,
  call: (signal: AbortSignal | undefined) => Promise<unknown>,
  abortByCaller: boolean,
): Promise<void> {
  // A client's first request (connections, credentials) may take longer than the short time
  // limit on a busy machine: the service is ready once one ping got through.
  await eventually(() => service.ping(), 30_000);
  const before = gate.requests();
  gate.hold();
  let released = false;
  try {
    const controller = abortByCaller ? new AbortController() : undefined;
    const started = Date.now();
    const outcome = expectDatabaseError(call(controller?.signal), 'unavailable');
    await gate.reached(before + 1);
    controller?.abort(new Error('the caller gave up'));
    const error = await outcome;
    expect(error.status).toBe(503);
    if (abortByCaller) expect(Date.now() - started).toBeLessThan(TIMEOUT_MS);
    const atFailure = gate.requests();
    gate.release();
    released = true;
    await new Promise((resolve) => setTimeout(resolve, 2 * TIMEOUT_MS));
    expect(gate.requests(), 'backend requests made after the call had its 503').toBe(atFailure);
  } finally {
    if (!released) gate.release();
  }
  // The same service works again: no connection was left in a broken state.
  await eventually(() => service.ping(), 30_000);
}

/** These need the `requestGate` option, and are reported as skipped without it. */
export const cancellationCases = defineCases('cancellation', {
  async 'no backend request of a call is made after its deadline 503'({ collection, options }) {
    const gate = options.requestGate as RequestGate;
    const service = await gate.create(TIMEOUT_MS);
    try {
      await expectNothingAfter(
        gate,
        service,
        () => service.save(collection, 'held', { v: 1 }),
        false,
      );
    } finally {
      await service.close();
    }
  },

  async "no backend request of a call is made after its caller's abort"({ collection, options }) {
    const gate = options.requestGate as RequestGate;
    const service = await gate.create(10 * TIMEOUT_MS);
    try {
      await expectNothingAfter(
        gate,
        service,
        (signal) => service.save(collection, 'held', { v: 1 }, { signal }),
        true,
      );
    } finally {
      await service.close();
    }
  },

  async 'a signal that is not an AbortSignal is 400, an aborted one 503 without a request'({
    options,
    collection,
  }) {
    const gate = options.requestGate as RequestGate;
    const service = await gate.create(TIMEOUT_MS);
    try {
      await expectDatabaseError(
        service.get(collection, 'x', { signal: 'stop' as unknown as AbortSignal }),
        'invalid',
      );
      const before = gate.requests();
      await expectDatabaseError(
        service.save(collection, 'x', {}, { signal: AbortSignal.abort() }),
        'unavailable',
      );
      expect(gate.requests()).toBe(before);
    } finally {
      await service.close();
    }
  },
}).map((testCase) => ({ ...testCase, requires: 'requestGate' as const }));
