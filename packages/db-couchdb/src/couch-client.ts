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
 * nano's request, with the call's signal: a request stops when the call's deadline passes,
 * its caller aborts or the service closes. Credentials go into nano's Authorization header,
 * never into a URL that could reach a message.
 */
export class CouchClient {
  readonly #server: nano.ServerScope;

  constructor(connection: CouchConnection) {
    const url = new URL(connection.url);
    url.username = encodeURIComponent(connection.user);
    url.password = encodeURIComponent(connection.password);
    this.#server = nano({ url: url.toString() });
  }

  async request<T>(request: CouchRequest, signal: AbortSignal): Promise<T> {
    signal.throwIfAborted();
    const options: nano.RequestOptions & { signal: AbortSignal; dontStringify: boolean } = {
      method: request.method,
      signal,
      dontStringify: true,
    };
    if (request.db !== undefined) options.db = request.db;
    if (request.path !== undefined) options.path = request.path;
    if (request.qs !== undefined) options.qs = request.qs;
    if (request.body !== undefined) options.body = request.body;
    return (await this.#server.request(options)) as T;
  }
}
