import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Condition, JsonScalar } from '@gofannon/db-core';

/** DynamoDB's number range: a number outside it is stored by no item, and DynamoDB refuses it in an expression. */
const MAX_NUMBER = 9.999999999999998e125;
const MIN_NUMBER = 1e-130;

/**
 * Collects the placeholders of one expression: `#n0` for names, `:v0` for values, each
 * distinct name or value once.
 */
export class ExpressionParts {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, AttributeValue> = {};
  readonly #nameOf = new Map<string, string>();
  #nextValue = 0;

  /** A dot path as `#n0.#n1`: each segment is a plain attribute name. */
  path(field: string): string {
    return field
      .split('.')
      .map((segment) => {
        let placeholder = this.#nameOf.get(segment);
        if (placeholder === undefined) {
          placeholder = `#n${this.#nameOf.size}`;
          this.#nameOf.set(segment, placeholder);
          this.names[placeholder] = segment;
        }
        return placeholder;
      })
      .join('.');
  }

  value(attribute: AttributeValue): string {
    const placeholder = `:v${this.#nextValue++}`;
    this.values[placeholder] = attribute;
    return placeholder;
  }
}

/**
 * What DynamoDB can check of a condition, as expression text, or `undefined` where it
 * cannot say it exactly enough (ranges over booleans or null). Never stricter than core's
 * rules: whatever passes is checked again with `matchesWhere`, so the expression only
 * saves reading what surely does not match. DynamoDB compares like core does: `=` needs
 * the same type, numbers compare numerically, strings by UTF-8 bytes, and `<` between
 * different types is false.
 */
export function conditionText(parts: ExpressionParts, condition: Condition): string | undefined {
  const { field, op, value } = condition;
  if (op === 'in') {
    const texts = (value as readonly JsonScalar[])
      .map((v) => equalsText(parts, field, v))
      .filter((text) => text !== undefined);
    // A value no item can hold leaves the others; none left: nothing to say exactly.
    return texts.length === 0 ? undefined : `(${texts.join(' OR ')})`;
  }
  if (op === '==') return equalsText(parts, field, value as JsonScalar);
  const attribute = comparable(value as JsonScalar);
  if (attribute === undefined) return undefined;
  return `${parts.path(field)} ${op} ${parts.value(attribute)}`;
}

/** The conditions DynamoDB can check, ANDed, or `undefined` when it can check none. */
export function whereText(parts: ExpressionParts, where: readonly Condition[]): string | undefined {
  const texts = where
    .map((condition) => conditionText(parts, condition))
    .filter((text) => text !== undefined);
  return texts.length === 0 ? undefined : texts.join(' AND ');
}

function equalsText(parts: ExpressionParts, field: string, value: JsonScalar): string | undefined {
  if (value === null) return `attribute_type(${parts.path(field)}, ${parts.value({ S: 'NULL' })})`;
  const attribute = typeof value === 'boolean' ? { BOOL: value } : comparable(value);
  if (attribute === undefined) return undefined;
  return `${parts.path(field)} = ${parts.value(attribute)}`;
}

/** A number or string as an attribute DynamoDB can compare with; else `undefined`. */
function comparable(value: JsonScalar): AttributeValue | undefined {
  if (typeof value === 'string') return { S: value };
  if (typeof value !== 'number') return undefined;
  const magnitude = Math.abs(value);
  if (magnitude > MAX_NUMBER || (magnitude !== 0 && magnitude < MIN_NUMBER)) return undefined;
  return { N: String(value) };
}
