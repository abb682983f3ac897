import { EVENT } from './conventions';
import { loadOtelApi, type OtelApi } from './otel-api';

/** What one observed call counts while it runs; its span gets the totals when it ends. */
export interface CallCounts {
  requests: number;
  retries: number;
}

/** The API, loaded once for every service in the process; `undefined` when not installed. */
export const otel: OtelApi | undefined = loadOtelApi();

/** Where an observed call keeps its counts, in the OpenTelemetry context of its work. */
export const CALL_COUNTS = otel?.createContextKey('gofannon.db.call-counts');

/**
 * Calls being observed right now, in every service of the process: while none are, the
 * notes below return at once, without looking up the active context.
 */
let observing = 0;

export function callStarted(): void {
  observing += 1;
}

export function callEnded(): void {
  observing -= 1;
}

function activeCounts(): CallCounts | undefined {
  if (observing === 0 || otel === undefined || CALL_COUNTS === undefined) return undefined;
  return otel.context.active().getValue(CALL_COUNTS) as CallCounts | undefined;
}

/** Core notes each backend request a call makes. */
export function noteRequest(): void {
  const counts = activeCounts();
  if (counts !== undefined) counts.requests += 1;
}

/**
 * Notes that an adapter is about to retry a backend request (the kit's `retry` does this
 * for every retry): counted on the call's span, and an event on it saying which attempt
 * comes next and why. Does nothing while no call is observed.
 */
export function recordRetry(attempt: number, reason = 'the backend asked to try again'): void {
  const counts = activeCounts();
  if (counts === undefined || otel === undefined) return;
  counts.retries += 1;
  otel.trace.getActiveSpan()?.addEvent(EVENT.retry, {
    'gofannon.db.retry.attempt': attempt,
    'gofannon.db.retry.reason': reason,
  });
}

/**
 * Adds an event to the span of the call under way, for what only an adapter sees (DynamoDB
 * throttling a request its client then retries, say). Names start with `gofannon.db.`.
 * Does nothing while no call is observed.
 */
export function recordEvent(name: string, attributes?: Record<string, string | number>): void {
  if (activeCounts() === undefined || otel === undefined) return;
  otel.trace.getActiveSpan()?.addEvent(name, attributes);
}
