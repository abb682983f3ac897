/**
 * The signals of backend calls. Each call gets its own AbortSignal, aborted at the call's
 * deadline or when the caller's own signal aborts, whichever comes first.
 *
 * Deadlines are not one timer per call: every call of one service has the same time limit,
 * so deadlines fall due in the order the calls started. A service keeps its calls in that
 * order and one timer for the oldest one still running. A call that settles only marks
 * itself done, so a call that never waits (an in-process backend) costs no timer at all.
 */

/** Why a call's signal aborted: its deadline passed, or its caller aborted it. */
export type AbortCause = 'deadline' | 'caller';

/** The reason a call's signal carries when its deadline passes. */
export class DeadlineError extends Error {
  constructor(timeoutMs: number) {
    super(`The call did not finish within ${timeoutMs} ms`);
    this.name = 'TimeoutError';
  }
}

/** One running backend call. */
export class BackendCall {
  readonly #controller = new AbortController();
  /** When the call's deadline passes, in `performance.now()` milliseconds. */
  readonly deadline: number;
  /** Why the signal aborted; `undefined` while it has not. */
  cause: AbortCause | undefined;
  done = false;
  /** Rejects the caller's promise; set by {@link CallSignals.run}. */
  onAbort: ((cause: AbortCause) => void) | undefined;
  #caller: AbortSignal | undefined;
  #listener: (() => void) | undefined;

  constructor(deadline: number, caller: AbortSignal | undefined) {
    this.deadline = deadline;
    if (caller) {
      this.#caller = caller;
      this.#listener = () => this.abort('caller', caller.reason);
      caller.addEventListener('abort', this.#listener, { once: true });
    }
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  abort(cause: AbortCause, reason: unknown): void {
    if (this.done || this.cause !== undefined) return;
    this.cause = cause;
    this.#controller.abort(reason);
    this.onAbort?.(cause);
  }

  settle(): void {
    this.done = true;
    if (this.#caller && this.#listener) this.#caller.removeEventListener('abort', this.#listener);
  }
}

/** The running calls of one service, oldest first, and the one timer of the oldest. */
export class CallSignals {
  readonly #timeoutMs: number;
  #calls: BackendCall[] = [];
  #head = 0;
  #live = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  /**
   * Runs `work` with a fresh call signal. The promise settles with `work`'s result, or
   * rejects with `onAbort(cause)` as soon as the signal aborts, whether or not `work` has
   * stopped by then.
   */
  run<T>(
    work: (signal: AbortSignal) => Promise<T>,
    caller: AbortSignal | undefined,
    onAbort: (cause: AbortCause, reason: unknown) => unknown,
  ): Promise<T> {
    const call = this.#start(caller);
    return new Promise<T>((resolve, reject) => {
      call.onAbort = (cause) => reject(onAbort(cause, call.signal.reason));
      let pending: Promise<T>;
      try {
        pending = work(call.signal);
      } catch (error) {
        pending = Promise.reject(error);
      }
      pending.then(
        (value) => {
          this.#settle(call);
          resolve(value);
        },
        (error: unknown) => {
          this.#settle(call);
          // After an abort the promise is already rejected; this changes nothing.
          reject(call.cause === undefined ? error : onAbort(call.cause, call.signal.reason));
        },
      );
    });
  }

  /** Aborts every running call (the service is closing) and stops the timer. */
  abortAll(reason: unknown): void {
    const calls = this.#calls;
    this.#calls = [];
    this.#head = 0;
    this.#live = 0;
    this.#stopTimer();
    for (const call of calls) call.abort('caller', reason);
  }

  #start(caller: AbortSignal | undefined): BackendCall {
    const call = new BackendCall(performance.now() + this.#timeoutMs, caller);
    this.#calls.push(call);
    this.#live += 1;
    if (this.#timer === undefined) this.#arm(call.deadline);
    return call;
  }

  #settle(call: BackendCall): void {
    if (call.done) return;
    call.settle();
    this.#live -= 1;
    // Drop settled calls from the front; compact when settled ones pile up behind a slow one.
    const calls = this.#calls;
    while (this.#head < calls.length && (calls[this.#head] as BackendCall).done) this.#head += 1;
    if (this.#head === calls.length) {
      this.#calls = [];
      this.#head = 0;
    } else if (calls.length - this.#head > 2 * this.#live + 64) {
      this.#calls = calls.slice(this.#head).filter((running) => !running.done);
      this.#head = 0;
    }
  }

  #arm(at: number): void {
    this.#timer = setTimeout(() => this.#expire(), Math.max(0, Math.ceil(at - performance.now())));
    this.#timer.unref();
  }

  #stopTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Aborts every call whose deadline has passed, then waits for the next one. */
  #expire(): void {
    this.#timer = undefined;
    const now = performance.now();
    const calls = this.#calls;
    while (this.#head < calls.length) {
      const call = calls[this.#head] as BackendCall;
      if (!call.done) {
        if (call.deadline > now) break;
        call.abort('deadline', new DeadlineError(this.#timeoutMs));
        call.settle();
        this.#live -= 1;
      }
      this.#head += 1;
    }
    const next = calls[this.#head];
    if (next === undefined) {
      this.#calls = [];
      this.#head = 0;
    } else this.#arm(next.deadline);
  }
}
