/** The process controls of a server the tests started themselves. */
export interface LocalServerControls {
  /** Process id of the running server; undefined while it is stopped. */
  readonly pid: number | undefined;
  readonly external: false;
  stop(): Promise<void>;
  /** Starts it again on the same port; refused after `close()`. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** How to start a server process again, stop one, and read its pid. */
export interface ServerProcess<P> {
  start(): Promise<P>;
  stop(process: P): Promise<void>;
  pid(process: P): number | undefined;
}

/**
 * `fields` with stop/restart/close controls over `first`, the server process already
 * started; `kind` names the server in the error of a restart after close.
 */
export function withLocalServerControls<T extends object, P>(
  fields: T,
  kind: string,
  first: P,
  process: ServerProcess<P>,
): T & LocalServerControls {
  let current: P | undefined = first;
  let closed = false;
  const stop = async (): Promise<void> => {
    const running = current;
    current = undefined;
    if (running !== undefined) await process.stop(running);
  };
  const controls = {
    ...fields,
    external: false as const,
    stop,
    async restart() {
      if (closed) throw new Error(`cannot restart a closed ${kind}`);
      await stop();
      current = await process.start();
    },
    async close() {
      closed = true;
      await stop();
    },
  };
  return Object.defineProperty(controls, 'pid', {
    enumerable: true,
    get: () => (current === undefined ? undefined : process.pid(current)),
  }) as T & LocalServerControls;
}
