import type { Settings } from '@google-cloud/firestore';
import { cancelOnAbort } from './call-signals';

/** The Firestore methods the adapter calls. */
const METHODS = ['BatchGetDocuments', 'Commit', 'RunQuery', 'BatchWrite', 'GetDocument'];

/**
 * The caller's client settings, plus:
 * - a gRPC channel that reconnects within a second once an unreachable backend is back
 *   (gRPC's own backoff grows to two minutes), so the same service object recovers soon
 *   after an outage;
 * - the retries gax makes by this configuration bounded by the service's time limit (the
 *   client's defaults allow 60 s a request and 10 minutes in all). This does not bound every
 *   request: a commit carries the client's default retry settings with it, and the client
 *   retries reads in a loop of its own; what ends them at the call's deadline or abort is
 *   the call's signal, which `cancelOnAbort` applies to each gRPC request (see
 *   `call-signals.ts`).
 */
export function clientSettings(settings: Settings, timeoutMs: number): Settings {
  const methods = Object.fromEntries(
    METHODS.map((name) => [name, { timeout_millis: timeoutMs, retry_params_name: 'default' }]),
  );
  return {
    ...settings,
    'grpc.initial_reconnect_backoff_ms': 250,
    'grpc.max_reconnect_backoff_ms': 1000,
    // gax passes this one to the gRPC client without its `grpc.` prefix.
    'grpc.callInvocationTransformer': cancelOnAbort,
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
