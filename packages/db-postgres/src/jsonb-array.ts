import type { PreparedDocument } from '@gofannon/db-core';

/** The first byte of jsonb's binary form: the format's version, then the JSON text. */
const JSONB_VERSION = 1;
const COMMA = 0x2c;

/**
 * The documents as one JSON array in jsonb's binary form (a version byte and the text), for
 * a `$n::jsonb` parameter: pg sends a Buffer as it is. Written straight into one buffer of
 * the size the prepared documents already measured. The text form cost more than the
 * statement's round trip on the client: a chunk's JSON is over 128 KiB, where V8 gives
 * each string (the joined array, then its copy with the brackets) fresh pages of its own,
 * and pg then measures and encodes that text once more.
 */
export function jsonbArray(docs: readonly PreparedDocument[]): Buffer {
  let size = 3 + Math.max(0, docs.length - 1); // version byte, brackets, commas
  for (const doc of docs) size += doc.bytes;
  const buffer = Buffer.allocUnsafe(size);
  buffer[0] = JSONB_VERSION;
  buffer[1] = 0x5b; // [
  let offset = 2;
  for (let i = 0; i < docs.length; i++) {
    if (i > 0) buffer[offset++] = COMMA;
    offset += buffer.write((docs[i] as PreparedDocument).json, offset, 'utf8');
  }
  buffer[offset++] = 0x5d; // ]
  return buffer;
}
