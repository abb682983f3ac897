import { ApiError } from './api-error';

/**
 * Amounts are whole millionths of a dollar, counted as integers. Every amount the API takes
 * (at most 1e9 dollars) is then at most 1e15 units, which a double holds exactly, and has at
 * most 15 significant digits, which a JSON number carries exactly: so a balance moves by
 * exactly every charge recorded, however large it is, and a hundred 0.01 charges take
 * exactly 1.00.
 */
const UNITS_PER_DOLLAR = 1e6;

/** The amount in whole units; 400 when it is finer than a unit (a charge nobody could see). */
export function toUnits(amount: number, field: string): number {
  const units = Math.round(amount * UNITS_PER_DOLLAR);
  if (units / UNITS_PER_DOLLAR !== amount) {
    throw new ApiError(
      400,
      'invalid',
      `${field} is kept to the millionth of a dollar (6 decimal places); ${amount} is finer`,
    );
  }
  return units;
}

/**
 * `from` less `units` (from {@link toUnits}), exactly. A stored balance finer than a unit
 * (written by another client) counts as its nearest whole unit; 409 when the result would
 * leave the range in which every unit is exact.
 */
export function subtractUnits(from: number, units: number): number {
  const left = Math.round(from * UNITS_PER_DOLLAR) - units;
  if (!Number.isSafeInteger(left)) {
    throw new ApiError(409, 'conflict', `The balance would leave the range the API keeps exactly`);
  }
  return left / UNITS_PER_DOLLAR;
}
