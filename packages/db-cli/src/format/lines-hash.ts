import { createHash } from 'node:crypto';

/**
 * The SHA-256 of a file's document lines, each as its UTF-8 bytes followed by one LF: what
 * the end line's `sha256` holds (format version 2). Export computes it while writing and
 * import while reading, both streaming. A CR before the LF is left out (the reader strips
 * it), so a file whose line ends were turned into CRLF still matches.
 */
export class LinesHash {
  readonly #hash = createHash('sha256');

  add(line: string | Uint8Array): void {
    this.#hash.update(line);
    this.#hash.update('\n');
  }

  /** 64 lowercase hex digits; call once, after the last line. */
  hex(): string {
    return this.#hash.digest('hex');
  }
}
