import pg from 'pg';
import { type MockInstance, vi } from 'vitest';

/** A statement as pg sent it: its text and parameters. */
export interface SentStatement {
  text: string;
  values: unknown[];
}

/**
 * Records every statement pg clients send from now on, and still sends it: the real
 * server answers. How a test sees the exact SQL `_find` runs, and how many round trips a
 * page costs. `stop()` ends the recording.
 */
export function recordStatements(): { sent: SentStatement[]; stop: () => void } {
  const sent: SentStatement[] = [];
  const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  const spy: MockInstance = vi.spyOn(pg.Client.prototype, 'query');
  spy.mockImplementation(function (this: pg.Client, ...args: unknown[]) {
    const [config, values] = args as [string | pg.QueryConfig, unknown[] | undefined];
    if (typeof config === 'string') sent.push({ text: config, values: values ?? [] });
    else sent.push({ text: config.text, values: config.values ?? values ?? [] });
    return original.apply(this, args);
  });
  return { sent, stop: () => spy.mockRestore() };
}
