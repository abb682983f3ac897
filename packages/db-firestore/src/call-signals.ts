import { AsyncLocalStorage } from 'node:async_hooks';
import {
  type CallInvocationTransformer,
  InterceptingCall,
  type Interceptor,
  Metadata,
  status,
} from '@grpc/grpc-js';

/**
 * The Firestore client takes no AbortSignal, and it makes requests of its own after a call's
 * deadline: it retries a read that ran past its deadline (gax's stream retries, then its own
 * loop of five attempts with a second of backoff and more, whatever the client's retry
 * settings say), and a commit's attempt runs for 60 s (the client passes its default retry
 * settings with every commit). So the signal travels beside the client instead: the adapter
 * runs each backend call in {@link withCallSignal}, and the gRPC channel asks, for every
 * request it starts, whose call it belongs to. A request of a call whose signal has aborted
 * is never started; one under way when the signal aborts is cancelled (RST_STREAM), so the
 * backend drops it.
 *
 * With the REST transport (`preferRest`) requests do not go through gRPC and this does not
 * apply; the adapter keeps the gRPC default.
 */
const callSignal = new AsyncLocalStorage<AbortSignal>();

/**
 * The call of each request message. Retries are often scheduled from a network event, whose
 * async context is not the call's, but every retry layer sends the same message object
 * again: the message tells whose retry it is.
 */
const messageSignals = new WeakMap<object, AbortSignal>();

/** Runs `work` so that every gRPC request it causes, retries included, obeys `signal`. */
export function withCallSignal<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  return callSignal.run(signal, work);
}

/**
 * The gRPC client's `callInvocationTransformer` (settings key
 * `grpc.callInvocationTransformer`): every request of a call made in
 * {@link withCallSignal} obeys that call's signal.
 */
export const cancelOnAbort: CallInvocationTransformer = (properties) => {
  const message = typeof properties.argument === 'object' ? properties.argument : undefined;
  const signal = (message && messageSignals.get(message)) ?? callSignal.getStore();
  if (!signal) return properties;
  if (message) messageSignals.set(message, signal);
  const { callOptions } = properties;
  return {
    ...properties,
    callOptions: {
      ...callOptions,
      interceptors: [...(callOptions.interceptors ?? []), obeying(signal)],
    },
  };
};

function obeying(signal: AbortSignal): Interceptor {
  return (options, nextCall) => {
    if (signal.aborted) return neverStarted();
    let cancel: (() => void) | undefined;
    const call = new InterceptingCall(nextCall(options), {
      start(metadata, _listener, next) {
        next(metadata, {
          onReceiveStatus(received, pass) {
            if (cancel) requestsUnderWay(signal).delete(cancel);
            pass(received);
          },
        });
      },
    });
    cancel = () => call.cancelWithStatus(status.CANCELLED, 'the call was aborted');
    requestsUnderWay(signal).add(cancel);
    return call;
  };
}

/** The cancels of each call's requests under way. */
const underWay = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * The requests under way of the call whose signal this is, which one abort listener
 * cancels together: a batch call runs many requests at once, and a listener each would
 * pass Node's limit of ten per signal and print a memory-leak warning into the
 * application's output.
 */
function requestsUnderWay(signal: AbortSignal): Set<() => void> {
  let cancels = underWay.get(signal);
  if (cancels === undefined) {
    const created = new Set<() => void>();
    underWay.set(signal, created);
    signal.addEventListener(
      'abort',
      () => {
        for (const cancel of created) cancel();
        created.clear();
      },
      { once: true },
    );
    cancels = created;
  }
  return cancels;
}

/**
 * A request that ends with CANCELLED as soon as it starts, without a stream: no channel
 * call is even created, so nothing reaches the network. CANCELLED is a status neither the
 * client's retry loop nor gax's retries try again.
 */
function neverStarted(): InterceptingCall {
  const ignore = () => {};
  const nowhere: ConstructorParameters<typeof InterceptingCall>[0] = {
    start: ignore,
    cancelWithStatus: ignore,
    getPeer: () => '',
    sendMessageWithContext: ignore,
    sendMessage: ignore,
    startRead: ignore,
    halfClose: ignore,
    getAuthContext: () => null,
  };
  // The requester never passes the start on: the messages that follow wait for it forever.
  return new InterceptingCall(nowhere, {
    start(_metadata, listener) {
      process.nextTick(() =>
        listener.onReceiveStatus({
          code: status.CANCELLED,
          details: 'the call was aborted before this request',
          metadata: new Metadata(),
        }),
      );
    },
  });
}
