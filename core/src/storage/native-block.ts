/**
 * A writer of one block of ClickHouse's Native format: the column count, the
 * row count, then each column whole (its name, its type, its values), in the
 * layout ClickHouse itself writes for `FORMAT Native`:
 *
 * - String: per value, its UTF-8 byte length as a LEB128 varint, then the bytes;
 * - UInt8 / Bool, UInt32, UInt64, Int64, Float64: fixed width, little-endian;
 * - DateTime64(9): Int64 nanoseconds since the epoch;
 * - Nullable(T): one byte per row (1 = null), then a column of T in which the
 *   null rows hold zero;
 * - Array(T): per row the running total of elements as a UInt64, then all the
 *   elements as one column of T;
 * - Map(K, V): as Array(Tuple(K, V)): running totals, then every key, then
 *   every value.
 *
 * Columns are written one after another, so a writer fills one column for all
 * rows before it starts the next.
 */
/** Buffer's own UTF-8 writer, without `write`'s argument handling; `write` where it is missing. */
type Writable = Buffer & { utf8Write?(value: string, offset: number): number };
const utf8Write = (buffer: Writable, value: string, offset: number): number =>
  buffer.utf8Write ? buffer.utf8Write(value, offset) : buffer.write(value, offset, 'utf8');

export class NativeBlockWriter {
  #buffer: Buffer;
  #position = 0;

  constructor(initialBytes = 1 << 16) {
    this.#buffer = Buffer.allocUnsafe(initialBytes);
  }

  /** The bytes written so far (a view, not a copy). */
  bytes(): Buffer {
    return this.#buffer.subarray(0, this.#position);
  }

  header(columns: number, rows: number): void {
    this.varUInt(columns);
    this.varUInt(rows);
  }

  /** Starts a column: its name and its type as ClickHouse spells it. */
  column(name: string, type: string): void {
    this.string(name);
    this.string(type);
  }

  varUInt(value: number): void {
    this.#reserve(10);
    let rest = value;
    while (rest >= 0x80) {
      this.#buffer[this.#position++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.#buffer[this.#position++] = rest;
  }

  /**
   * A string as UTF-8. A lone UTF-16 surrogate, which has no UTF-8 form,
   * becomes U+FFFD, as Buffer's encoder always does.
   */
  string(value: string): void {
    const length = value.length;
    // Short ASCII text, nearly every value, is copied byte by byte here:
    // cheaper than a call into Buffer's encoder per value.
    if (length < 0x80) {
      this.#reserve(length + 1);
      const buffer = this.#buffer;
      const start = this.#position;
      let i = 0;
      for (; i < length; i++) {
        const code = value.charCodeAt(i);
        if (code >= 0x80) break;
        buffer[start + 1 + i] = code;
      }
      if (i === length) {
        buffer[start] = length;
        this.#position = start + 1 + length;
        return;
      }
    }
    this.#encoded(value);
  }

  /** Any string: written through Buffer's UTF-8 encoder after room for the longest varint. */
  #encoded(value: string): void {
    const most = value.length * 3;
    this.#reserve(most + 5);
    const start = this.#position;
    // Written as if its length fits one varint byte, then moved if it did not.
    const written = utf8Write(this.#buffer, value, start + 1);
    if (written < 0x80) {
      this.#buffer[start] = written;
      this.#position = start + 1 + written;
      return;
    }
    let prefix = 0;
    for (let rest = written; rest >= 0x80; rest = Math.floor(rest / 0x80)) prefix += 1;
    this.#buffer.copyWithin(start + 1 + prefix, start + 1, start + 1 + written);
    this.#position = start;
    this.varUInt(written);
    this.#position += written;
  }

  /** Copies bytes this block already holds, [from, to), to its end: a value written before, again. */
  repeat(from: number, to: number): void {
    this.#reserve(to - from);
    this.#buffer.copyWithin(this.#position, from, to);
    this.#position += to - from;
  }

  /** How many bytes are written so far: where the next value starts. */
  get position(): number {
    return this.#position;
  }

  uint8(value: number): void {
    this.#reserve(1);
    this.#buffer[this.#position++] = value;
  }

  uint32(value: number): void {
    this.#reserve(4);
    this.#buffer.writeUInt32LE(value, this.#position);
    this.#position += 4;
  }

  /** A non-negative integer up to 2^53 as UInt64. */
  uint64(value: number): void {
    this.#reserve(8);
    this.#buffer.writeUInt32LE(value % 0x1_0000_0000, this.#position);
    this.#buffer.writeUInt32LE(Math.floor(value / 0x1_0000_0000), this.#position + 4);
    this.#position += 8;
  }

  /**
   * Nanoseconds since the epoch, given as decimal text of up to 19 digits,
   * as a UInt64 (the bits of a positive Int64 such as DateTime64(9)). Split
   * so that every step stays an exact integer in a double: faster than BigInt.
   */
  nanosecondsDecimal(value: string): void {
    const digits = value.length;
    // value = seconds × 10^9 + fraction, both read digit by digit (no substrings).
    const split = digits > 9 ? digits - 9 : 0;
    let seconds = 0;
    for (let i = 0; i < split; i++) seconds = seconds * 10 + (value.charCodeAt(i) - 48);
    let fraction = 0;
    for (let i = split; i < digits; i++) fraction = fraction * 10 + (value.charCodeAt(i) - 48);
    // seconds = high × 2^16 + low.
    const high = Math.floor(seconds / 0x1_0000) * 1e9; // < 2^48
    const low = (seconds % 0x1_0000) * 1e9 + fraction; // < 2^46
    // value = high × 2^16 + low = (high >> 16) × 2^32 + ((high & 0xffff) × 2^16 + low)
    const rest = (high % 0x1_0000) * 0x1_0000 + low;
    this.#reserve(8);
    this.#buffer.writeUInt32LE(rest % 0x1_0000_0000, this.#position);
    this.#buffer.writeUInt32LE(Math.floor(high / 0x1_0000) + Math.floor(rest / 0x1_0000_0000), this.#position + 4);
    this.#position += 8;
  }

  float64(value: number): void {
    this.#reserve(8);
    this.#buffer.writeDoubleLE(value, this.#position);
    this.#position += 8;
  }

  #reserve(bytes: number): void {
    const needed = this.#position + bytes;
    if (needed <= this.#buffer.length) return;
    let size = this.#buffer.length * 2;
    while (size < needed) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.#buffer.copy(grown, 0, 0, this.#position);
    this.#buffer = grown;
  }
}
