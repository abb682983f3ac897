import { untilAborted } from './retry';

/**
 * Runs the work given for one key one at a time, in the order it came. Blind saves of one
 * document from one service then follow each other, each knowing the revision the one
 * before it made, instead of racing, conflicting and retrying against each other: a hot
 * document costs one write per save, not a storm of conflicts whose retries outrun the
 * deadline on a busy machine. A caller whose signal aborts while it waits leaves at once;
 * those after it still wait for the work before it.
 */
export class OneAtATime<K> {
  readonly #tails = new Map<K, Promise<void>>();

  run<T>(key: K, signal: AbortSignal, work: () => Promise<T>): Promise<T> {
    if (signal.aborted) return Promise.reject(signal.reason);
    const before = this.#tails.get(key) ?? Promise.resolve();
    let done!: () => void;
    const mine = new Promise<void>((resolve) => {
      done = resolve;
    });
    const tail = before.then(() => mine);
    this.#tails.set(key, tail);
    const finish = () => {
      done();
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    };
    return untilAborted(before, signal).then(work).finally(finish);
  }
}
