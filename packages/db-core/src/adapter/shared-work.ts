/**
 * Work that several calls wait for together, such as creating a table on first write:
 * started by the first caller, shared by those who come while it runs, and aborted only
 * when every one of them has stopped waiting (each by its own signal). A caller whose
 * signal aborts stops waiting at once.
 */
export class SharedWork<K> {
  readonly #running = new Map<
    K,
    { promise: Promise<void>; waiters: number; abort: AbortController }
  >();

  run(key: K, signal: AbortSignal, work: (signal: AbortSignal) => Promise<void>): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    let entry = this.#running.get(key);
    if (!entry) {
      const abort = new AbortController();
      const created = {
        abort,
        waiters: 0,
        promise: Promise.resolve()
          .then(() => work(abort.signal))
          .finally(() => {
            if (this.#running.get(key) === created) this.#running.delete(key);
          }),
      };
      // Nobody may be waiting when it fails: the rejection is handled by each waiter.
      created.promise.catch(() => {});
      entry = created;
      this.#running.set(key, entry);
    }
    const shared = entry;
    shared.waiters += 1;
    return new Promise<void>((resolve, reject) => {
      let left = false;
      const leave = () => {
        if (left) return;
        left = true;
        signal.removeEventListener('abort', onAbort);
        shared.waiters -= 1;
      };
      const onAbort = () => {
        leave();
        if (shared.waiters === 0) {
          shared.abort.abort(signal.reason);
          if (this.#running.get(key) === shared) this.#running.delete(key);
        }
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      shared.promise.then(
        () => {
          leave();
          resolve();
        },
        (error: unknown) => {
          leave();
          reject(error);
        },
      );
    });
  }
}
