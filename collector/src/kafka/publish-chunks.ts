/**
 * Splits messages into sends of at most `maxBytes` of values and keys. The
 * broker refuses a record batch over its `message.max.bytes` (1 MiB by
 * default) without retry, and a send carries one record batch per partition,
 * so a send smaller than that limit can never be refused for its size.
 */
export function chunkByBytes<T extends { key: string; value: string }>(messages: readonly T[], maxBytes: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const message of messages) {
    // Record overhead (offsets, lengths, headers) is a few dozen bytes.
    const size = Buffer.byteLength(message.value) + message.key.length + 64;
    if (current.length > 0 && bytes + size > maxBytes) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
