import type { Socket } from 'node:net';
import type pg from 'pg';
import type { WireUnit } from '../results';
import type { WireCounter } from './registry';
import { emptyCounts } from './wire-proxy';

/**
 * Counts SQL statements on pg's connections, as they come back from the server: every
 * statement pg sends (a parameterised one as Parse/Bind/Execute/Sync, a plain one as a
 * simple Query) is one round trip that the server ends with a `ReadyForQuery` message, so
 * the count of those messages on a connection, after the one that ends the start-up, is the
 * count of statements that ran on it. The bytes read from the connection's socket between
 * two of them are that statement's response as it came over the wire.
 *
 * It is attached to a pool through pg's own `onConnect` option, which every new connection
 * of the pool passes through. Both targets of a run use one counter; the bench runs one
 * target at a time, so the counts between two readings belong to the one that ran. Nothing
 * is inserted between client and server (unlike the CouchDB proxy): the cost is one listener
 * call per statement, the same on both sides.
 */
export interface StatementCounter extends WireCounter {
  /** For `pg.PoolConfig.onConnect`: starts counting on a pool's new connection. */
  readonly onConnect: (client: pg.ClientBase) => void;
}

const SQL_STATEMENTS: WireUnit = {
  column: 'stmt/op',
  plural: 'statements',
  note:
    'stmt/op = SQL statements (round trips) per call, counted from the ReadyForQuery ' +
    "messages on every connection of both targets' pools.",
};

export function startStatementCounter(): StatementCounter {
  let counts = emptyCounts();
  return {
    unit: SQL_STATEMENTS,
    counts: () => ({ ...counts }),
    reset: () => {
      counts = emptyCounts();
    },
    onConnect: (client) => {
      // `connection` is declared on pg's Client, which is what a pool hands out.
      const { connection } = client as pg.Client;
      // A TCP or Unix socket unless the connection uses TLS; then bytes are not counted.
      const socket = connection.stream as Partial<Socket>;
      let readBefore = socket.bytesRead ?? 0;
      // Attached after the start-up's ReadyForQuery (pg calls onConnect once connected), so
      // each one seen here ends a statement.
      connection.on('readyForQuery', () => {
        const read = socket.bytesRead ?? 0;
        const bytes = read - readBefore;
        readBefore = read;
        counts.requests += 1;
        counts.responseBytes += bytes;
        if (bytes > counts.largestResponseBytes) counts.largestResponseBytes = bytes;
      });
    },
  };
}
