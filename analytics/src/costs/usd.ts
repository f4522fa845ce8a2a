/**
 * Exact money arithmetic for reports. ClickHouse sums costs as Decimal(38, 12)
 * and returns them as text; adding those in picodollars (BigInt) keeps the
 * total exact, and only the final figure is rounded, to a nanodollar, which
 * hides float noise such as 0.30000000000000004 without hiding real cost.
 */
const scale = 12;

const decimalAmount = /^(-?)(\d+)(?:\.(\d+))?$/;

/** "0.3" or "12.000000000001" → picodollars. */
export function parsePicoUsd(decimal: string): bigint {
  const match = decimalAmount.exec(decimal.trim());
  if (!match) throw new Error(`not a decimal amount: ${decimal}`);
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > scale) throw new Error(`more than ${scale} decimal places: ${decimal}`);
  // One BigInt from the digits: a report of 10,000 users parses 10,000 of these.
  const pico = BigInt(whole! + fraction.padEnd(scale, '0'));
  return sign === '-' ? -pico : pico;
}

/** Picodollars → dollars as a number, rounded half away from zero to 1e-9. */
export function picoToUsd(pico: bigint): number {
  const negative = pico < 0n;
  const magnitude = negative ? -pico : pico;
  const nano = (magnitude + 500n) / 1000n;
  // Number(nano) / 1e9 is the double nearest the decimal k/1e9, i.e. what
  // parsing its decimal text would give.
  const usd = Number(nano) / 1e9;
  return negative ? -usd : usd;
}
