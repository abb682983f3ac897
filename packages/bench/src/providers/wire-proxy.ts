import {
  type CountingProxy,
  emptyProxyCounts,
  type ProxyCounts,
  startCountingProxy,
} from '@gofannon/test-support';
import type { WireUnit } from '../results';

/** What a {@link WireProxy} has seen since it started or was last reset. */
export type WireCounts = ProxyCounts;

/** Counts before anything has been seen; every counter starts from these. */
export const emptyCounts = emptyProxyCounts;

const HTTP_REQUESTS: WireUnit = {
  column: 'req/op',
  plural: 'requests',
  note: 'req/op = HTTP requests per call, counted by a proxy in front of the server.',
};

/**
 * test-support's counting proxy in front of a server, named for the report: round trips
 * counted on the wire, not guessed from the client code. Every target of a run talks
 * through the same proxy, so its overhead lands on all alike. It keeps a few numbers, never
 * the requests themselves, so millions of them cost no memory.
 */
export interface WireProxy extends Pick<CountingProxy, 'url' | 'counts' | 'reset' | 'close'> {
  /** It counts HTTP requests. */
  readonly unit: WireUnit;
}

/**
 * A {@link WireProxy} in front of a server this run readied: when the proxy cannot start,
 * the server is closed before the error is passed on.
 */
export async function startWireProxyFor(
  server: { close(): Promise<void> },
  target: string,
): Promise<WireProxy> {
  try {
    const proxy = await startCountingProxy(target);
    return {
      url: proxy.url,
      unit: HTTP_REQUESTS,
      counts: proxy.counts,
      reset: proxy.reset,
      close: proxy.close,
    };
  } catch (error) {
    await server.close();
    throw error;
  }
}
