import pg from 'pg';

/** A statement as pg sent it. */
export interface SentStatement {
  text: string;
  values: unknown[];
}

/**
 * A pg `Client` class that notes the statements it sends while `recording` is on, handed
 * to the adapter's pool through pg's own `Client` option: how the bench gets the exact
 * SQL of each `find` page to EXPLAIN, without touching the adapter. Off, it costs one
 * boolean test per statement.
 */
export function recordingClient(): {
  Client: typeof pg.Client;
  record: <T>(work: () => Promise<T>) => Promise<{ result: T; sent: SentStatement[] }>;
} {
  let sent: SentStatement[] | undefined;
  class RecordingClient extends pg.Client {
    // biome-ignore lint/suspicious/noExplicitAny: pg's query() has many overloads; all pass through.
    override query(...args: any[]): any {
      const [config, values] = args;
      if (sent && typeof config === 'object' && config !== null && 'text' in config) {
        sent.push({ text: config.text, values: config.values ?? values ?? [] });
      }
      // biome-ignore lint/suspicious/noExplicitAny: as above.
      return (super.query as any)(...args);
    }
  }
  return {
    Client: RecordingClient,
    async record(work) {
      sent = [];
      try {
        const result = await work();
        return { result, sent };
      } finally {
        sent = undefined;
      }
    },
  };
}
