import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';

/**
 * A DynamoDB client that keeps the SDK's resolved middleware chain between requests and
 * still hands every request its call's AbortSignal.
 *
 * Why: the SDK builds its chain of some twenty middleware functions anew for every
 * `send`, unless the client is made with `cacheMiddleware: true`, and even then only for a
 * `send` without options: `send(command, { abortSignal })`, which every call of the adapter
 * makes, rebuilds it (about 0.1 ms of CPU a request on a 2-core machine, more than the
 * adapter's own work on a query page). So `send` here takes the signal out of the options,
 * sends without them, and the signal goes the rest of the way beside the request: a
 * middleware just before the HTTP handler finds it by the command's input, and the
 * handler, wrapped, passes it on as the SDK would have.
 *
 * What the signal still does: a request in flight is destroyed when it aborts, and a
 * request not yet sent is refused at once (the handler checks first). AbortError is no
 * error the SDK retries. What it no longer does: cut short the SDK's wait before a retry;
 * the retry that follows the wait is refused without a request.
 */
export class SignalledDynamoDBClient extends DynamoDBClient {
  constructor(config: DynamoDBClientConfig) {
    super({ ...config, cacheMiddleware: true });
    // The chain reads `requestHandler` when it is first built, at the first `send`.
    this.config.requestHandler = signalledHandler(this.config.requestHandler);
    this.middlewareStack.add(
      (next) => (args) => {
        const signal = inputSignals.get(args.input as object);
        if (signal !== undefined) requestSignals.set(args.request as object, signal);
        return next(args);
      },
      // Innermost: the request it sees is the one the handler gets (signed, per attempt).
      { step: 'deserialize', priority: 'low', name: 'gofannonRequestSignal' },
    );
  }

  // biome-ignore lint/suspicious/noExplicitAny: the SDK's overloads of send, passed through
  override send(command: any, optionsOrCallback?: any, callback?: any): any {
    const signal = onlySignal(optionsOrCallback);
    if (signal === undefined || callback !== undefined) {
      return super.send(command, optionsOrCallback, callback);
    }
    // A new command on a copy of the input for each send: middleware reads `input` from the
    // command after awaits of its own, so a command sent twice at once (under two signals)
    // must not be changed in between. The chain is cached by the command's class.
    const input = { ...command.input };
    inputSignals.set(input, signal);
    return super.send(new command.constructor(input));
  }
}

/** The signal of each command sent, by its input object. */
const inputSignals = new WeakMap<object, AbortSignal>();
/** The signal of each HTTP request about to go out. */
const requestSignals = new WeakMap<object, AbortSignal>();

/** The AbortSignal of options that hold nothing else (other options keep the SDK's path). */
function onlySignal(options: unknown): AbortSignal | undefined {
  if (typeof options !== 'object' || options === null) return undefined;
  const { abortSignal, ...rest } = options as { abortSignal?: AbortSignal };
  return abortSignal !== undefined && Object.keys(rest).length === 0 ? abortSignal : undefined;
}

type RequestHandler = DynamoDBClient['config']['requestHandler'];

/** What a Node HTTP handler has besides the `RequestHandler` type's members. */
interface HandlerConfigs {
  updateHttpClientConfig?(key: never, value: never): void;
  httpHandlerConfigs?(): object;
}

/** `inner`, handing each request the signal it was sent with. */
function signalledHandler(inner: RequestHandler & HandlerConfigs): RequestHandler {
  const handler: RequestHandler & HandlerConfigs = {
    handle: (request, options) => {
      const signal = requestSignals.get(request as object);
      return inner.handle(
        request,
        signal === undefined ? options : { ...options, abortSignal: signal as never },
      );
    },
    updateHttpClientConfig: (key, value) => inner.updateHttpClientConfig?.(key, value),
    httpHandlerConfigs: () => inner.httpHandlerConfigs?.() ?? {},
    destroy: () => inner.destroy?.(),
    metadata: inner.metadata,
  };
  return handler;
}
