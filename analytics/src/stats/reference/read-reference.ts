// Test support: reads the SciPy reference files written by make-reference.py.
import { readFileSync } from 'node:fs';

export interface ReferenceFile<Case> {
  generator: string;
  note: string;
  cases: Case[];
}

/** JSON has no NaN or Infinity; make-reference.py writes null and "Infinity" instead. */
export type EncodedNumber = number | string | null;

export function decodeNumber(value: EncodedNumber): number {
  if (value === null) return Number.NaN;
  if (typeof value === 'string') return Number(value);
  return value;
}

export function readReference<Case>(fileName: string): ReferenceFile<Case> {
  const url = new URL(`./${fileName}`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as ReferenceFile<Case>;
}
