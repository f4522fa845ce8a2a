import type { OtlpAnyValue } from './types';

/**
 * The text stored for an attribute value in the `attributes` map of a span.
 * Scalars become their plain text; arrays and key-value lists become JSON.
 * Integers are written from their decimal string, so an int64 beyond 2^53
 * keeps every digit.
 */
export function anyValueToString(value: OtlpAnyValue): string {
  switch (value.type) {
    case 'string':
    case 'int':
    case 'bytes':
      return value.value;
    case 'bool':
      return value.value ? 'true' : 'false';
    case 'double':
      return formatDouble(value.value);
    case 'array':
    case 'kvlist':
      return anyValueToJson(value);
    case 'empty':
      return '';
  }
}

/**
 * JSON text for a value. Written by hand rather than with JSON.stringify over
 * a converted object because JSON.stringify cannot emit an integer literal
 * larger than 2^53 without rounding it.
 */
export function anyValueToJson(value: OtlpAnyValue): string {
  switch (value.type) {
    case 'string':
    case 'bytes':
      return JSON.stringify(value.value);
    case 'int':
      return value.value;
    case 'bool':
      return value.value ? 'true' : 'false';
    case 'double':
      // JSON has no NaN or Infinity; a string keeps the information.
      return Number.isFinite(value.value) ? JSON.stringify(value.value) : JSON.stringify(formatDouble(value.value));
    case 'array':
      return `[${value.values.map(anyValueToJson).join(',')}]`;
    case 'kvlist':
      return `{${value.values.map((kv) => `${JSON.stringify(kv.key)}:${anyValueToJson(kv.value)}`).join(',')}}`;
    case 'empty':
      return 'null';
  }
}

function formatDouble(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  return String(n);
}
