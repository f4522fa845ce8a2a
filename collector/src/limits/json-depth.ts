/**
 * Whether JSON text nests arrays and objects more than `limit` deep, found in
 * one pass without parsing, so a hostile body is refused before JSON.parse
 * builds it and before any recursive walk over it (the OTLP decoders also
 * bound attribute-value depth, the schema validators do not). Stops at the
 * first level past the limit. It reads bytes, not text: the characters it
 * looks for are ASCII, which never occur inside a multi-byte UTF-8 sequence.
 */
export function jsonNestingExceeds(body: Uint8Array, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (inString) {
      if (c === 0x5c /* \ */) i += 1;
      else if (c === 0x22 /* " */) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      depth += 1;
      if (depth > limit) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) depth -= 1;
  }
  return false;
}

