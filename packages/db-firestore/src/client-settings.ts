import type { Settings } from '@google-cloud/firestore';

/** The Firestore methods the adapter calls. */
const METHODS = ['BatchGetDocuments', 'Commit', 'RunQuery', 'BatchWrite', 'GetDocument'];

/**
 * The caller's client settings, plus:
 * - a gRPC channel that reconnects within a second once an unreachable backend is back
 *   (gRPC's own backoff grows to two minutes), so the same service object recovers soon
 *   after an outage;
 * - the client's own retries bounded by the service's time limit: each request and all its
 *   attempts together end within `timeoutMs` (the client's defaults allow 60 s a request
 *   and 10 minutes in all), so no attempt of a call is made after the call's deadline.
 */
export function clientSettings(settings: Settings, timeoutMs: number): Settings {
  const methods = Object.fromEntries(
    METHODS.map((name) => [name, { timeout_millis: timeoutMs, retry_params_name: 'default' }]),
  );
  return {
    ...settings,
    'grpc.initial_reconnect_backoff_ms': 250,
    'grpc.max_reconnect_backoff_ms': 1000,
    clientConfig: {
      interfaces: {
        'google.firestore.v1.Firestore': {
          retry_params: {
            default: {
              initial_retry_delay_millis: 100,
              retry_delay_multiplier: 1.3,
              max_retry_delay_millis: timeoutMs,
              initial_rpc_timeout_millis: timeoutMs,
              rpc_timeout_multiplier: 1,
              max_rpc_timeout_millis: timeoutMs,
              total_timeout_millis: timeoutMs,
            },
          },
          methods,
        },
      },
    },
  };
}
