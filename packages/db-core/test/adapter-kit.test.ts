import { describe, expect, it, vi } from 'vitest';
import { ConfigurationError, ValidationError } from '../src';
import {
  DEFAULT_RETRY_POLICY,
  idPosition,
  nextRevision,
  OneAtATime,
  RETRY,
  retry,
  revisionToken,
  SettingsReader,
  SharedWork,
  settleEach,
  sleep,
  untilAborted,
} from '../src/adapter';
import { expectDatabaseError } from '../src/conformance';

const QUICK = { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 2 };

describe('retry', () => {
  it('tries again while the attempt asks for it, and stops at the first answer', async () => {
    const signal = new AbortController().signal;
    let attempts = 0;
    const result = await retry({ signal, policy: QUICK }, async (n) => {
      attempts = n;
      return n < 3 ? RETRY : 'done';
    });
    expect([result, attempts]).toEqual(['done', 3]);
  });

  it('gives up with 503 after maxAttempts', async () => {
    let attempts = 0;
    const signal = new AbortController().signal;
    await expectDatabaseError(
      retry({ signal, policy: QUICK }, async () => {
        attempts += 1;
        return RETRY;
      }),
      'unavailable',
    );
    expect(attempts).toBe(5);
  });

  it('passes an attempt error on at once', async () => {
    const signal = new AbortController().signal;
    await expect(
      retry({ signal, policy: QUICK }, async () => {
        throw new Error('bad request');
      }),
    ).rejects.toThrow('bad request');
  });

  it('starts no attempt and ends its wait once the signal aborts', async () => {
    const controller = new AbortController();
    let attempts = 0;
    const policy = { maxAttempts: 50, baseDelayMs: 60_000, maxDelayMs: 60_000 };
    const running = retry({ signal: controller.signal, policy }, async () => {
      attempts += 1;
      // Aborted during the attempt: the wait that follows ends at once.
      controller.abort(new Error('deadline'));
      return RETRY;
    });
    await expect(running).rejects.toThrow('deadline');
    expect(attempts).toBe(1);
  });

  it('has one default policy, 50 attempts of growing, jittered waits', () => {
    expect(DEFAULT_RETRY_POLICY).toEqual({ maxAttempts: 50, baseDelayMs: 4, maxDelayMs: 250 });
  });

  it('sleep rejects with the reason when aborted', async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    await expect(sleep(1, AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
  });
});

describe('untilAborted', () => {
  it("answers the promise's value, or its rejection, while the signal holds", async () => {
    const signal = new AbortController().signal;
    await expect(untilAborted(Promise.resolve(7), signal)).resolves.toBe(7);
    await expect(untilAborted(Promise.reject(new Error('failed')), signal)).rejects.toThrow(
      'failed',
    );
  });

  it('rejects with the reason as soon as the signal aborts, and at once when it has', async () => {
    const controller = new AbortController();
    const waiting = untilAborted(new Promise<never>(() => {}), controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    const already = AbortSignal.abort(new Error('already'));
    await expect(untilAborted(Promise.resolve(1), already)).rejects.toThrow('already');
  });
});

describe('revisions', () => {
  it('are random hex tokens, generation-numbered when asked', () => {
    const tokens = new Set(Array.from({ length: 2000 }, () => revisionToken()));
    expect(tokens.size).toBe(2000);
    for (const token of tokens) expect(token).toMatch(/^[0-9a-f]{24}$/);
    expect(revisionToken(8)).toMatch(/^[0-9a-f]{16}$/);
    expect(nextRevision()).toMatch(/^1-[0-9a-f]{24}$/);
    expect(nextRevision('41-abc')).toMatch(/^42-[0-9a-f]{24}$/);
  });
});

describe('settleEach', () => {
  it('answers one outcome per item, failures mapped', async () => {
    const outcomes = await settleEach(
      ['a', 'b'],
      async (id) => {
        if (id === 'b') throw new Error('nope');
        return `rev-${id}`;
      },
      (error, id) => new ValidationError(`${id}: ${(error as Error).message}`),
    );
    expect(outcomes[0]).toBe('rev-a');
    expect(outcomes[1]).toBeInstanceOf(ValidationError);
  });
});

describe('idPosition', () => {
  it('accepts a document id and refuses anything else with 400', () => {
    expect(idPosition('a/b', 'c')).toBe('a/b');
    for (const bad of ['', '\u0000', 'x'.repeat(513), '\ud800']) {
      expect(() => idPosition(bad, 'c')).toThrow(ValidationError);
    }
    expect(() => idPosition('a', 'c', (p) => p !== 'a')).toThrow(/Invalid cursor/);
  });
});

describe('SettingsReader', () => {
  it('names every problem in one ConfigurationError, and never repeats a URL', () => {
    const read = new SettingsReader('thing', {
      THING_URL: 'ftp://user:secret@x',
      THING_TRIES: 'three',
      THING_FAST: 'yes',
    });
    read.url('THING_URL', { example: 'http://127.0.0.1:1' });
    read.required('THING_KEY', 'the API key');
    read.positiveInteger('THING_TRIES');
    read.boolean('THING_FAST');
    let error: unknown;
    try {
      read.done();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const message = (error as Error).message;
    for (const name of ['THING_URL', 'THING_KEY', 'THING_TRIES', 'THING_FAST'])
      expect(message).toContain(name);
    expect(message).not.toContain('secret');
  });

  it('returns checked values and passes when all is well', () => {
    const read = new SettingsReader('thing', { A: ' 12 ', B: 'false', C: 'http://h:1' });
    expect(read.positiveInteger('A')).toBe(12);
    expect(read.boolean('B')).toBe(false);
    expect(read.url('C', { credentials: false, example: '' })).toBe('http://h:1');
    expect(read.optional('D')).toBeUndefined();
    expect(() => read.done()).not.toThrow();
  });
});

describe('SharedWork', () => {
  it('runs once for concurrent callers, and aborts only when the last one leaves', async () => {
    const work = new SharedWork<string>();
    let runs = 0;
    let sharedSignal: AbortSignal | undefined;
    const body = (signal: AbortSignal) => {
      runs += 1;
      sharedSignal = signal;
      return new Promise<void>((_, reject) =>
        signal.addEventListener('abort', () => reject(signal.reason)),
      );
    };
    const one = new AbortController();
    const two = new AbortController();
    const first = work.run('t', one.signal, body);
    const second = work.run('t', two.signal, body);
    one.abort(new Error('one left'));
    await expect(first).rejects.toThrow('one left');
    await Promise.resolve();
    expect(sharedSignal?.aborted).toBe(false);
    two.abort(new Error('two left'));
    await expect(second).rejects.toThrow('two left');
    expect(sharedSignal?.aborted).toBe(true);
    expect(runs).toBe(1);
  });
});

describe('OneAtATime', () => {
  /** Work that runs until `finish` is called, recording when it started. */
  function gated(log: string[], name: string) {
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => {
      finish = resolve;
    });
    return {
      finish: () => finish(),
      work: async () => {
        log.push(`start ${name}`);
        await finished;
        log.push(`end ${name}`);
        return name;
      },
    };
  }

  it('runs the work of one key one at a time, in order; other keys do not wait', async () => {
    const turns = new OneAtATime<string>();
    const log: string[] = [];
    const [a, b, c] = ['a', 'b', 'c'].map((name) => gated(log, name)) as [
      ReturnType<typeof gated>,
      ReturnType<typeof gated>,
      ReturnType<typeof gated>,
    ];
    const never = new AbortController().signal;
    const first = turns.run('doc', never, a.work);
    const second = turns.run('doc', never, b.work);
    const other = turns.run('other', never, c.work);
    await vi.waitFor(() => expect(log).toEqual(['start a', 'start c']));
    a.finish();
    await expect(first).resolves.toBe('a');
    await vi.waitFor(() => expect(log).toContain('start b'));
    b.finish();
    c.finish();
    await expect(Promise.all([second, other])).resolves.toEqual(['b', 'c']);
    expect(log.indexOf('end a')).toBeLessThan(log.indexOf('start b'));
  });

  it('lets a waiter whose signal aborts leave at once, while the next still waits its turn', async () => {
    const turns = new OneAtATime<string>();
    const log: string[] = [];
    const a = gated(log, 'a');
    const c = gated(log, 'c');
    const never = new AbortController().signal;
    const leaving = new AbortController();
    const first = turns.run('doc', never, a.work);
    const second = turns.run('doc', leaving.signal, async () => 'b');
    const third = turns.run('doc', never, c.work);
    leaving.abort(new Error('gave up'));
    await expect(second).rejects.toThrow('gave up');
    await vi.waitFor(() => expect(log).toEqual(['start a']));
    a.finish();
    await first;
    await vi.waitFor(() => expect(log).toContain('start c'));
    c.finish();
    await expect(third).resolves.toBe('c');
    await expect(turns.run('doc', AbortSignal.abort(new Error('late')), c.work)).rejects.toThrow(
      'late',
    );
  });
});
