/** Amounts are added in whole billionths of a dollar, so a hundred 0.01 charges take exactly 1.00. */
const UNITS_PER_DOLLAR = 1e9;

export function subtractAmount(from: number, amount: number): number {
  return (
    (Math.round(from * UNITS_PER_DOLLAR) - Math.round(amount * UNITS_PER_DOLLAR)) / UNITS_PER_DOLLAR
  );
}
