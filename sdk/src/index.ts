/**
 * A small helper for Node applications that wraps an LLM call in a GenAI span
 * with its call site and prompt id. A skeleton until an issue asks for it.
 */
export const sdkPackage = { name: '@spanlens/sdk', ready: false } as const;
