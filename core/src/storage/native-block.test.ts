import { describe, expect, it } from 'vitest';
import { EARLIEST_NS, LATEST_NS } from '../model/time-range';
import { NativeBlockWriter } from './native-block';

/** A reader of what the writer writes, done the obvious way (BigInt, TextDecoder), to check it against. */
function reader(bytes: Buffer) {
  let at = 0;
  return {
    varUInt(): number {
      let value = 0;
      let scale = 1;
      for (;;) {
        const byte = bytes[at++]!;
        value += (byte & 0x7f) * scale;
        if (byte < 0x80) return value;
        scale *= 0x80;
      }
    },
    string(): string {
      const length = this.varUInt();
      const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(at, at + length));
      at += length;
      return text;
    },
    uint64(): bigint {
      const value = bytes.readBigUInt64LE(at);
      at += 8;
      return value;
    },
    get rest(): number {
      return bytes.length - at;
    },
  };
}

describe('NativeBlockWriter', () => {
  it('writes LEB128 lengths at every width boundary', () => {
    const values = [0, 1, 127, 128, 300, 16_383, 16_384, 2_097_151, 2_097_152, 2 ** 32, 2 ** 53 - 1];
    const out = new NativeBlockWriter(4);
    for (const value of values) out.varUInt(value);
    const read = reader(out.bytes());
    expect(values.map(() => read.varUInt())).toEqual(values);
    expect(read.rest).toBe(0);
    const widths = new NativeBlockWriter();
    widths.varUInt(127);
    widths.varUInt(128);
    expect([...widths.bytes()]).toEqual([0x7f, 0x80, 0x01]);
  });

  it('writes strings as UTF-8 with their byte length, however long and whatever the script', () => {
    const texts = [
      '', 'a', 'x'.repeat(127), 'x'.repeat(128), 'y'.repeat(20_000), 'ü', 'prix: 3 €', '日本語のプロンプト', '🙂 emoji',
      // Under 128 code units but over 127 UTF-8 bytes: the length needs two bytes.
      'é'.repeat(100), '€'.repeat(43), 'ab'.repeat(63) + 'é', `quote' tab\t newline\n back\\ nul\u0000`,
      'z'.repeat(50_000) + '€',
    ];
    // A tiny first buffer makes every string grow it.
    const out = new NativeBlockWriter(1);
    for (const text of texts) out.string(text);
    const read = reader(out.bytes());
    expect(texts.map(() => read.string())).toEqual(texts);
    expect(read.rest).toBe(0);
    expect(out.bytes().length).toBe(texts.reduce((sum, text) => sum + Buffer.byteLength(text) + (Buffer.byteLength(text) < 128 ? 1 : Buffer.byteLength(text) < 16_384 ? 2 : 3), 0));
  });

  it('writes a lone surrogate, which UTF-8 cannot hold, as U+FFFD', () => {
    const out = new NativeBlockWriter();
    out.string('a\ud800b');
    out.string(`${'x'.repeat(200)}\udfff`);
    const read = reader(out.bytes());
    expect(read.string()).toBe('a\ufffdb');
    expect(read.string()).toBe(`${'x'.repeat(200)}\ufffd`);
  });

  it('writes nanosecond timestamps exactly, as BigInt would', () => {
    const stamps = [
      String(EARLIEST_NS), String(LATEST_NS), '1732280000123456789', '1732280000000000000', '1732280000999999999',
      // seconds at multiples of 2^16 and just below, where the split carries
      String(65_536n * 26_431n * 1_000_000_000n + 999_999_999n), String((65_536n * 26_432n - 1n) * 1_000_000_000n + 999_999_999n),
      '9223372036854775807', '123', '0',
    ];
    let seed = 7;
    for (let i = 0; i < 2_000; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      const seconds = BigInt(1_000_000_000 + (seed % 8_000_000_000));
      stamps.push(String(seconds * 1_000_000_000n + BigInt((seed * 7_919) % 1_000_000_000)));
    }
    const out = new NativeBlockWriter(8);
    for (const stamp of stamps) out.nanosecondsDecimal(stamp);
    const read = reader(out.bytes());
    expect(stamps.map(() => String(read.uint64()))).toEqual(stamps);
  });

  it('writes fixed-width numbers little-endian', () => {
    const out = new NativeBlockWriter(2);
    out.uint8(1);
    out.uint32(4_294_967_295);
    out.uint64(2 ** 53 - 1);
    out.uint64(2 ** 32 + 5);
    out.float64(0.0042);
    const bytes = out.bytes();
    expect(bytes[0]).toBe(1);
    expect(bytes.readUInt32LE(1)).toBe(4_294_967_295);
    expect(bytes.readBigUInt64LE(5)).toBe(2n ** 53n - 1n);
    expect(bytes.readBigUInt64LE(13)).toBe(2n ** 32n + 5n);
    expect(bytes.readDoubleLE(21)).toBe(0.0042);
    expect(bytes.length).toBe(29);
  });
});
