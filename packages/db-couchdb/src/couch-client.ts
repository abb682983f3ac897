import nano from 'nano';

/** Where CouchDB is and how to sign in. */
export interface CouchConnection {
  url: string;
  user: string;
  password: string;
}

type Method = 'get' | 'put' | 'post' | 'delete';

/** One request to CouchDB; `body` is already JSON text. */
export interface CouchRequest {
  method: Method;
  /** The database, unencoded. */
  db?: string;
  /** The path below the database (or the server), already URL-encoded. */
  path?: string;
  qs?: Record<string, unknown>;
  body?: string;
}

/**
 * nano's request, with every call bounded in time and cancelled by `close`. Credentials go
 * into nano's Authorization header, never into a URL that could reach a message.
 */
export class CouchClient {
  readonly #server: nano.ServerScope;
  readonly #inFlight = new Set<AbortController>();
  readonly #timeoutMs: number;

  constructor(connection: CouchConnection, timeoutMs: number) {
    const url = new URL(connection.url);
    url.username = encodeURIComponent(connection.user);
    url.password = encodeURIComponent(connection.password);
    this.#server = nano({ url: url.toString() });
    this.#timeoutMs = timeoutMs;
  }

  async request<T>(request: CouchRequest): Promise<T> {
    // One controller and one clearable timer per request: cheaper than combining signals,
    // and nothing stays behind once the answer is in.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.#timeoutMs);
    this.#inFlight.add(controller);
    const options: nano.RequestOptions & { signal: AbortSignal; dontStringify: boolean } = {
      method: request.method,
      signal: controller.signal,
      dontStringify: true,
    };
    if (request.db !== undefined) options.db = request.db;
    if (request.path !== undefined) options.path = request.path;
    if (request.qs !== undefined) options.qs = request.qs;
    if (request.body !== undefined) options.body = request.body;
    try {
      return (await this.#server.request(options)) as T;
    } finally {
      clearTimeout(timer);
      this.#inFlight.delete(controller);
    }
  }

  /** Cancels every request still in flight. */
  close(): void {
    for (const controller of this.#inFlight) controller.abort();
    this.#inFlight.clear();
  }
}
