import { TestClock } from '@gofannon/db-core/conformance';
import { MemoryDatabaseService } from '@gofannon/db-memory';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src';
import { readApiConfig } from '../src/config';
import { ExpiredPurger } from '../src/http/expired-purger';
import { call, QUIET } from './support/api';
import { sessionBody } from './support/seed-documents';

const MINUTE = 60_000;

describe("a session's expires_at is its expiry", () => {
  let app: FastifyInstance;
  let clock: TestClock;

  beforeEach(async () => {
    clock = new TestClock();
    app = await buildApp({
      db: new MemoryDatabaseService({ clock: clock.now }),
      provider: 'memory',
      config: QUIET,
    });
  });
  afterEach(async () => {
    await app.close();
  });

  const at = (ms: number) => new Date(ms).toISOString();

  it('hides an expired session from every route, and lets its id be taken again', async () => {
    const expires = at(clock.now() + MINUTE);
    const created = await call(
      app,
      'POST',
      '/sessions',
      sessionBody('s1', { expires_at: expires }),
    );
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ expires_at: expires, _expiresAt: expires });
    await call(app, 'POST', '/sessions', sessionBody('s2'));
    expect((await call(app, 'GET', '/sessions/s1')).json()._expiresAt).toBe(expires);

    clock.advance(MINUTE);
    expect((await call(app, 'GET', '/sessions/s1')).statusCode).toBe(404);
    const listed = (await call(app, 'GET', '/sessions')).json();
    expect(listed.documents.map((doc: { _id: string }) => doc._id)).toEqual(['s2']);
    expect((await call(app, 'DELETE', '/sessions/s1')).statusCode).toBe(404);
    // The id is free again: create-only succeeds over the expired session.
    const again = await call(app, 'POST', '/sessions', sessionBody('s1'));
    expect(again.statusCode).toBe(201);
    expect(again.json()._expiresAt).toBeUndefined();
  });

  it('keeps the expiry through a message, and drops it when a PUT leaves expires_at out', async () => {
    const expires = at(clock.now() + MINUTE);
    await call(app, 'POST', '/sessions', sessionBody('s1', { expires_at: expires }));
    const message = await call(app, 'POST', '/sessions/s1/messages', {
      role: 'user',
      content: 'hello',
    });
    expect(message.statusCode).toBe(201);
    expect((await call(app, 'GET', '/sessions/s1')).json()._expiresAt).toBe(expires);
    const replaced = await call(app, 'PUT', '/sessions/s1', sessionBody('s1'));
    expect(replaced.statusCode).toBe(200);
    clock.advance(2 * MINUTE);
    expect((await call(app, 'GET', '/sessions/s1')).json()._expiresAt).toBeUndefined();
  });

  it('purges expired sessions on request', async () => {
    await call(app, 'POST', '/sessions', sessionBody('gone', { expires_at: at(clock.now() + 1) }));
    await call(app, 'POST', '/sessions', sessionBody('stays'));
    clock.advance(1);
    expect(await app.purger.run()).toBe(1);
    expect(await app.purger.run()).toBe(0);
    expect((await call(app, 'GET', '/sessions/stays')).statusCode).toBe(200);
  });
});

describe('the periodic purge', () => {
  it('runs every API_PURGE_INTERVAL_MS, and is off by default', async () => {
    expect(readApiConfig({}).purgeIntervalMs).toBe(0);
    expect(readApiConfig({ API_PURGE_INTERVAL_MS: '60000' }).purgeIntervalMs).toBe(60_000);
    expect(() => readApiConfig({ API_PURGE_INTERVAL_MS: 'hourly' })).toThrow(
      /API_PURGE_INTERVAL_MS/,
    );

    const clock = new TestClock();
    const db = new MemoryDatabaseService({ clock: clock.now });
    await db.save('sessions', 'gone', {}, { expiresAt: clock.now() });
    const runs: Array<{ purged: number } | { error: unknown }> = [];
    let ran: () => void = () => {};
    const firstRun = new Promise<void>((resolve) => {
      ran = resolve;
    });
    const purger = new ExpiredPurger(db, { info() {}, warn() {} } as never, (outcome) => {
      runs.push(outcome);
      ran();
    });
    purger.start(5);
    await firstRun;
    await purger.stop();
    expect(runs[0]).toEqual({ purged: 1 });
    // A failing purge is reported and the timer goes on; here the database is closed.
    await db.close();
    await expect(purger.run()).rejects.toMatchObject({ status: 503 });
    expect(runs.at(-1)).toMatchObject({ error: { status: 503 } });
  });
});
