import type { Settings } from '@google-cloud/firestore';

/**
 * The caller's client settings, plus a gRPC channel that reconnects within a second once an
 * unreachable backend is back (gRPC's own backoff grows to two minutes), so the same service
 * object recovers soon after an outage.
 */
export function clientSettings(settings: Settings): Settings {
  return {
    ...settings,
    'grpc.initial_reconnect_backoff_ms': 250,
    'grpc.max_reconnect_backoff_ms': 1000,
  };
}
