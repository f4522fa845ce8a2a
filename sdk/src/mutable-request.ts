/**
 * The request as the LLM SDK's method expects it. The request form of
 * `traceLlmCall` infers the request's type with `const`, so that literals
 * keep their literal types (`role: 'user'`, `stream: true`, which pick the
 * SDK's overloads) instead of widening to `string` and `boolean`; that also
 * makes every property and array readonly, which this type takes back off.
 * A type whose copy would lose something (a class with private members, such
 * as a zod schema) is left as it is.
 */
export type MutableRequest<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends object
    ? MutableCopy<T> extends T
      ? MutableCopy<T>
      : T
    : T;

type MutableCopy<T> = { -readonly [K in keyof T]: MutableRequest<T[K]> };
