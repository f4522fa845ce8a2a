import { anyValueToString } from '../otlp/any-value';
import type { OtlpAnyValue, OtlpKeyValue } from '../otlp/types';

export type AttributeMap = Map<string, OtlpAnyValue>;

/**
 * Attribute keys are unique within a span by the OTLP specification; when a
 * sender repeats one anyway, the later value wins, as it would have in the
 * SDK that overwrote it.
 */
export function toAttributeMap(attributes: readonly OtlpKeyValue[]): AttributeMap {
  const map: AttributeMap = new Map();
  for (let i = 0; i < attributes.length; i++) {
    const attribute = attributes[i]!;
    map.set(attribute.key, attribute.value);
  }
  return map;
}

export interface FoundAttribute {
  key: string;
  value: OtlpAnyValue;
}

/** The first of `keys` that is present with a non-empty value. */
export function findFirst(map: AttributeMap, keys: readonly string[]): FoundAttribute | undefined {
  for (const key of keys) {
    const value = map.get(key);
    if (value !== undefined && !isBlank(value)) return { key, value };
  }
  return undefined;
}

/**
 * The text of the first of `keys` found, searching each map in turn: the span's
 * own attributes before its resource's, so a span can override a process-wide
 * default such as a feature name set on the resource.
 */
export function firstText(maps: readonly AttributeMap[], keys: readonly string[]): string {
  for (const map of maps) {
    const found = findFirst(map, keys);
    if (found) return anyValueToString(found.value);
  }
  return '';
}

/** firstText over one map, without an array of maps per call (the mapper calls it dozens of times per span). */
export function textOf(map: AttributeMap, keys: readonly string[]): string {
  const found = findFirst(map, keys);
  return found ? anyValueToString(found.value) : '';
}

/** The text of one key when it is present with a non-empty value; '' otherwise. */
export function textAt(map: AttributeMap, key: string): string {
  const value = map.get(key);
  return value === undefined || isBlank(value) ? '' : anyValueToString(value);
}

/** firstText over a span's attributes, then its resource's. */
export function textOfEither(span: AttributeMap, resource: AttributeMap, keys: readonly string[]): string {
  const found = findFirst(span, keys) ?? findFirst(resource, keys);
  return found ? anyValueToString(found.value) : '';
}

/** A number from an int, a double or a numeric string; undefined otherwise. */
export function numberOf(value: OtlpAnyValue): number | undefined {
  if (value.type === 'int') return Number(value.value);
  if (value.type === 'double') return value.value;
  if (value.type === 'string' && value.value.trim() !== '') {
    const n = Number(value.value);
    return Number.isNaN(n) ? undefined : n;
  }
  return undefined;
}

function isBlank(value: OtlpAnyValue): boolean {
  return value.type === 'empty' || (value.type === 'string' && value.value.trim() === '');
}
