import { Timestamp } from '@google-cloud/firestore';

/** A Firestore `Value` message as the low-level client takes it. */
export type ProtoValue =
  | { nullValue: 'NULL_VALUE' }
  | { booleanValue: boolean }
  | { integerValue: number }
  | { doubleValue: number }
  | { stringValue: string }
  | { timestampValue: { seconds?: string; nanos?: number } }
  | { arrayValue: { values?: ProtoValue[] } }
  | { mapValue: { fields?: Record<string, ProtoValue> } };

/**
 * A document's fields as the low-level client sends them: what the high-level client's
 * serializer makes of the same fields, for the values the adapter stores (JSON, already
 * encoded by `toFirestoreFields`, and `Timestamp`s). The same types go to the same protobuf
 * kinds (a safe integer other than -0 is an integer, every other number a double), so a
 * read through the high-level client gives back exactly what a `set` of these fields would.
 */
export function toProtoFields(fields: Record<string, unknown>): Record<string, ProtoValue> {
  const encoded: Record<string, ProtoValue> = {};
  for (const name in fields) encoded[name] = toProtoValue(fields[name]);
  return encoded;
}

/** A `Timestamp` message, zero parts left out as the high-level client sends them. */
export function toProtoTimestamp(time: Timestamp): { seconds?: string; nanos?: number } {
  const message: { seconds?: string; nanos?: number } = {};
  if (time.seconds !== 0) message.seconds = String(time.seconds);
  if (time.nanoseconds !== 0) message.nanos = time.nanoseconds;
  return message;
}

function toProtoValue(value: unknown): ProtoValue {
  switch (typeof value) {
    case 'string':
      return { stringValue: value };
    case 'boolean':
      return { booleanValue: value };
    case 'number':
      return Number.isSafeInteger(value) && !Object.is(value, -0)
        ? { integerValue: value }
        : { doubleValue: value };
    case 'object': {
      if (value === null) return { nullValue: 'NULL_VALUE' };
      if (Array.isArray(value)) {
        return { arrayValue: value.length === 0 ? {} : { values: value.map(toProtoValue) } };
      }
      if (value instanceof Timestamp) return { timestampValue: toProtoTimestamp(value) };
      if (Object.getPrototypeOf(value) === Object.prototype) {
        const fields = toProtoFields(value as Record<string, unknown>);
        // As the high-level client sends them: no `fields` for an empty map.
        for (const _name in fields) return { mapValue: { fields } };
        return { mapValue: {} };
      }
    }
  }
  throw new TypeError(`A document field cannot hold ${Object.prototype.toString.call(value)}`);
}
