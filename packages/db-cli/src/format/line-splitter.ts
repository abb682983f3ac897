/**
 * Cuts a byte stream into lines at LF (byte 0x0A, which never occurs inside a multi-byte
 * UTF-8 character, so bytes can be split before they are decoded).
 *
 * Each chunk is searched once, from where the previous search stopped; the bytes of an
 * unfinished line are kept as a list of pieces and joined once when its LF arrives. So a
 * line of n bytes costs O(n), where appending to a string and searching it again from the
 * start for every chunk cost O(n²) (a 64 MB line took minutes). A line longer than
 * `maxLineBytes` throws as soon as that many of its bytes have been seen, which also bounds
 * memory (and what a gzip bomb of one repeated character can make us decompress).
 */
export class LineSplitter {
  /** Bytes searched so far; equal to the bytes pushed when nothing is searched twice. */
  bytesScanned = 0;
  #pieces: Buffer[] = [];
  #pieceBytes = 0;
  #lineNumber = 1;

  constructor(
    readonly maxLineBytes: number,
    readonly tooLong: (lineNumber: number) => Error,
  ) {}

  /** The 1-based number of the line being collected (the next one to be returned). */
  get lineNumber(): number {
    return this.#lineNumber;
  }

  /** Adds a chunk; returns the lines it completes, without their LF. */
  push(chunk: Buffer): Buffer[] {
    const lines: Buffer[] = [];
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf(0x0a, start);
      if (newline === -1) {
        this.bytesScanned += chunk.length - start;
        this.#collect(chunk.subarray(start));
        break;
      }
      this.bytesScanned += newline + 1 - start;
      this.#collect(chunk.subarray(start, newline));
      lines.push(this.#take());
      start = newline + 1;
    }
    return lines;
  }

  /** The last line when the input does not end with LF; undefined when it does. */
  end(): Buffer | undefined {
    return this.#pieceBytes > 0 ? this.#take() : undefined;
  }

  #collect(piece: Buffer): void {
    if (this.#pieceBytes + piece.length > this.maxLineBytes) throw this.tooLong(this.#lineNumber);
    if (piece.length > 0) this.#pieces.push(piece);
    this.#pieceBytes += piece.length;
  }

  #take(): Buffer {
    const pieces = this.#pieces;
    const line =
      pieces.length === 1 ? (pieces[0] as Buffer) : Buffer.concat(pieces, this.#pieceBytes);
    this.#pieces = [];
    this.#pieceBytes = 0;
    this.#lineNumber += 1;
    return line;
  }
}
