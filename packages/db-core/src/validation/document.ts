import type { Capabilities } from '../capabilities';
import type { ErrorTarget } from '../errors';
import { isDatabaseError, TooLargeError, ValidationError } from '../errors';
import type { JsonObject } from '../types';

/** Top-level keys that the id argument and the stored revision own; ignored on input. */
/** What a read adds to a document; a document sent back as it was read may carry them. */
const META_KEYS = new Set(['_id', '_rev', '_expiresAt']);

/**
 * A validated document body ready for a backend: its JSON text (what the size limit is
 * measured on) and, parsed on first use, a fresh object that shares nothing with the
 * caller's input.
 */
export class PreparedDocument {
  /** The body as stored, `_expiresAt` included when the document expires. */
  readonly json: string;
  readonly bytes: number;
  /**
   * When the document expires, in epoch milliseconds (also in the body as `_expiresAt`, an
   * ISO string): for an adapter's native TTL attribute or index. `undefined`: never.
   */
  readonly expiresAt: number | undefined;
  #body: JsonObject | undefined;

  constructor(json: string, expiresAt?: number) {
    this.json = json;
    this.bytes = Buffer.byteLength(json, 'utf8');
    this.expiresAt = expiresAt;
  }

  /**
   * The body as an object, equal to `JSON.parse(JSON.stringify(input))` minus `_id`/`_rev`
   * (and with the `_expiresAt` of this save, or none).
   * Parsed on first use and shared by later calls: it shares nothing with the caller's input,
   * and the adapter may keep or change it, but it is one object per save.
   */
  get body(): JsonObject {
    this.#body ??= JSON.parse(this.json) as JsonObject;
    return this.#body;
  }
}

type Limits = Pick<
  Capabilities,
  'maxDocumentBytes' | 'maxNestingDepth' | 'numberRange' | 'nulCharacters' | 'emptyFieldNames'
>;

/**
 * Validates a caller's document against the contract and the adapter's limits, and
 * returns it normalised as JSON. Never mutates `input`. Throws 400 naming the JSON Pointer
 * of the first bad value, or 413 when the encoding is too large.
 */
export function prepareDocument(
  input: unknown,
  limits: Limits,
  target: ErrorTarget = {},
  expiresAt?: number,
): PreparedDocument {
  if (!isPlainObject(input)) {
    throw new ValidationError(`A document must be a plain JSON object, got ${kindOf(input)}`, {
      ...target,
      path: '',
    });
  }
  const checker: ValueChecker = new ValueChecker(limits, target);
  let json: string;
  try {
    let hasMetaKeys = false;
    for (const key of Object.keys(input)) {
      if (META_KEYS.has(key)) hasMetaKeys = true;
      else if (key.startsWith('_')) {
        throw new ValidationError(
          `Top-level field ${JSON.stringify(key)} is not allowed: names starting with "_" are reserved`,
          { ...target, path: pointer([key]) },
        );
      }
    }
    // A shallow copy (spread defines own properties, so a "__proto__" key stays a key).
    const body = hasMetaKeys ? withoutMetaKeys(input) : input;
    checker.check(body);
    json = JSON.stringify(body);
  } catch (error) {
    // A getter or proxy of the caller's that throws: the value cannot be read as JSON.
    if (isDatabaseError(error)) throw error;
    checker.fail(`reading it failed (${error instanceof Error ? error.message : String(error)})`);
  }
  if (expiresAt !== undefined) {
    // Last, so reads show it beside _id and _rev; the input's own _expiresAt was dropped.
    const field = `"_expiresAt":"${new Date(expiresAt).toISOString()}"`;
    json = json === '{}' ? `{${field}}` : `${json.slice(0, -1)},${field}}`;
  }
  const prepared = new PreparedDocument(json, expiresAt);
  if (prepared.bytes > limits.maxDocumentBytes) {
    throw new TooLargeError(
      `Document is ${prepared.bytes} bytes as JSON; the limit is ${limits.maxDocumentBytes}`,
      target,
    );
  }
  return prepared;
}

/** Walks a value once, refusing everything that JSON would change or drop silently. */
class ValueChecker {
  // Array indexes stay numbers until a message needs them: no string per element.
  readonly #path: Array<string | number> = [];
  // The containers above the current value: a handful, so a list beats a Set here.
  readonly #ancestors: object[] = [];

  constructor(
    readonly limits: Limits,
    readonly target: ErrorTarget,
  ) {}

  check(root: Record<string, unknown>): void {
    this.#container(root, 1);
  }

  #value(value: unknown, depth: number): void {
    switch (typeof value) {
      case 'string':
        this.#text(value, 'a string');
        return;
      case 'number':
        this.#number(value);
        return;
      case 'boolean':
        return;
      case 'object':
        if (value === null) return;
        if (value instanceof Date) {
          if (Number.isNaN(value.getTime())) this.fail('an invalid Date cannot be stored');
          return;
        }
        if (!Array.isArray(value) && !isPlainObject(value)) {
          this.fail(
            `${kindOf(value)} is not plain JSON; convert it to an object, array or string first`,
          );
        }
        this.#container(value, depth + 1);
        return;
      default:
        this.fail(`${kindOf(value)} is not a JSON value`);
    }
  }

  #container(value: object, depth: number): void {
    if (depth > this.limits.maxNestingDepth) {
      this.fail(`objects and arrays nest at most ${this.limits.maxNestingDepth} levels deep here`);
    }
    if (this.#ancestors.includes(value)) this.fail('the value refers to itself (a cycle)');
    this.#ancestors.push(value);
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) {
        const item = value[index];
        this.#path.push(index);
        if (item === undefined) this.fail('undefined is not allowed inside an array');
        this.#value(item, depth);
        this.#path.pop();
      }
    } else {
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        this.#path.push(key);
        const item = record[key];
        if (item === undefined) {
          this.#path.pop();
          continue;
        }
        this.#text(key, 'a field name');
        if (key === '' && this.limits.emptyFieldNames === false) {
          this.fail('a field name cannot be empty on this backend');
        }
        this.#value(item, depth);
        this.#path.pop();
      }
    }
    this.#ancestors.pop();
  }

  #text(value: string, what: string): void {
    if (!value.isWellFormed()) {
      this.fail(`${what} must be well-formed Unicode (it has a lone surrogate)`);
    }
    if (this.limits.nulCharacters === false && value.includes('\u0000')) {
      this.fail(`${what} cannot contain NUL (U+0000) on this backend`);
    }
  }

  #number(value: number): void {
    if (!Number.isFinite(value)) this.fail(`${value} is not a finite number`);
    const range = this.limits.numberRange;
    if (range && value !== 0) {
      const abs = Math.abs(value);
      if (abs > range.maxAbs || abs < range.minAbs) {
        this.fail(
          `${value} is outside the storable range (absolute values ${range.minAbs} to ${range.maxAbs}, or 0)`,
        );
      }
    }
  }

  /** Throws 400 naming the value being checked, or the last one reached. */
  fail(problem: string): never {
    const path = pointer(this.#path);
    throw new ValidationError(`Invalid value at ${path || '(document root)'}: ${problem}`, {
      ...this.target,
      path,
    });
  }
}

function withoutMetaKeys(input: Record<string, unknown>): Record<string, unknown> {
  const { _id, _rev, _expiresAt, ...rest } = input;
  return rest;
}

/** A JSON Pointer (RFC 6901) for a path of keys. */
export function pointer(keys: ReadonlyArray<string | number>): string {
  return keys.map((key) => `/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'bigint') return 'a BigInt';
  if (typeof value === 'object') {
    const name = Object.getPrototypeOf(value)?.constructor?.name;
    return name ? `an instance of ${name}` : 'an object';
  }
  return `a ${typeof value}`;
}
