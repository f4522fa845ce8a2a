/**
 * Numbers as the report files print them. CSV gets plain decimals that every
 * spreadsheet parses whatever its locale's display settings: '.' as the
 * decimal mark, no thousands separators, no currency symbol, no exponent.
 * HTML gets the same figures dressed for reading.
 */

/** At most `maxDecimals` places, trailing zeros dropped: 0.1 + 0.2 → "0.3", 1e-9 → "0.000000001", -0 → "0". */
export function plainDecimal(value: number, maxDecimals = 9): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  // toFixed switches to exponent notation from 1e21 on; such a value is an integer anyway.
  if (Math.abs(value) >= 1e21) return BigInt(Math.round(value)).toString();
  let text = value.toFixed(maxDecimals);
  if (text.includes('.')) text = text.replace(/0+$/, '').replace(/\.$/, '');
  return text === '-0' ? '0' : text;
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "$1,234.5" → "$1,234.50"; every significant digit down to a nanodollar is kept, at least two places shown. */
export function displayUsd(value: number): string {
  const text = plainDecimal(Math.abs(value));
  const [whole = '0', fraction = ''] = text.split('.');
  const sign = value < 0 && text !== '0' ? '-' : '';
  return `${sign}$${groupThousands(whole)}.${fraction.padEnd(2, '0')}`;
}

export function displayCount(value: number): string {
  return groupThousands(String(value));
}

/** A fraction as a percentage with one decimal; "—" when not defined. */
export function displayRatio(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const text = (value * 100).toFixed(1);
  return `${text === '-0.0' ? '0.0' : text}%`;
}

/** Dollars on a chart, where a label is read, not added up: cents from $1 on, two significant digits below. */
export function chartUsd(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude >= 1 || magnitude === 0) return displayUsd(Math.round(value * 100) / 100);
  const [whole = '0', fraction = ''] = plainDecimal(Number(magnitude.toPrecision(2)), 9).split('.');
  return `${value < 0 ? '-' : ''}$${whole}.${fraction.padEnd(2, '0')}`;
}

/** Days, as a whole number when whole: 3 or 1.5. */
export function displayDays(value: number): string {
  return plainDecimal(value, 2);
}
