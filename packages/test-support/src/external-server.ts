/** The process controls of a server someone else runs, named by a variable such as `POSTGRES_URL`. */
export interface ExternalServerControls {
  readonly pid: undefined;
  readonly external: true;
  stop(): Promise<void>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Controls for a server the tests did not start: it cannot be stopped or restarted (both
 * reject, naming the `kind` of server and where it came from, such as
 * `COUCHDB_URL=http://...`), and closing it does nothing.
 */
export function externalServerControls(kind: string, source: string): ExternalServerControls {
  const refuse = async (what: string): Promise<void> => {
    throw new Error(`cannot ${what} an external ${kind} (${source})`);
  };
  return {
    pid: undefined,
    external: true,
    stop: () => refuse('stop'),
    restart: () => refuse('restart'),
    close: async () => {},
  };
}
