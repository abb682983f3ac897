import SonicBoom from 'sonic-boom';

/** Where log lines go instead of stdout (tests read them there). */
export interface LogDestination {
  write(line: string): void;
}

/**
 * Log lines to a file descriptor, those of one turn of the event loop in one write.
 *
 * pino's own standard output writes every line with a system call of its own. Under load
 * that call cost the API more than making the line: in a CPU profile of the API serving
 * `GET /agents/{id}` (its log on stdout, to /dev/null), the writes of the log lines took 7%
 * of the process's time, pino's making of them 6%. Here the lines of a turn wait in a string
 * and go out in one write when the turn ends (`setImmediate`): a line is late by at most
 * the rest of its turn. The writing itself is sonic-boom's, as in pino's default: whole
 * lines, partial writes continued, a full pipe waited for.
 *
 * Lines still waiting when the process exits (`process.exit`, an uncaught exception, the
 * end of the event loop) are written synchronously on the way out; a process killed by a
 * signal it does not handle loses the lines of its last turn.
 */
export class TurnBatchedOutput implements LogDestination {
  readonly #out: SonicBoom;
  #pending = '';
  readonly #flush = () => this.flush();

  constructor(fd: number) {
    this.#out = new SonicBoom({ fd, sync: true });
    process.on('exit', this.#flush);
  }

  write(line: string): void {
    if (this.#pending === '') setImmediate(this.#flush);
    this.#pending += line;
  }

  /** Writes the lines waiting, now. */
  flush(): void {
    if (this.#pending === '') return;
    const text = this.#pending;
    this.#pending = '';
    this.#out.write(text);
  }
}

let stdout: TurnBatchedOutput | undefined;

/** The process's standard output as a {@link TurnBatchedOutput}: one for every app. */
export function batchedStdout(): LogDestination {
  stdout ??= new TurnBatchedOutput(1);
  return stdout;
}
