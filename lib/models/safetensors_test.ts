import assert from "node:assert/strict";
import {
  fromBFloat16Bits,
  fromFloat16Bits,
  parseSafetensors,
  readSafetensors,
  SafetensorsError,
  serializeSafetensors,
  toBFloat16Bits,
  toFloat16Bits,
} from "./safetensors.ts";

const values = Float32Array.from([0, -0, 1, -2.5, 3.14159, 1e-3, -65504, 1e-6, 123.456, 1e30]);

Deno.test("round trip F32 exactly, F16 and BF16 within their precision", () => {
  for (const dtype of ["F32", "F16", "BF16"] as const) {
    const bytes = serializeSafetensors({
      "a.weight": { shape: [2, 5], data: values, dtype },
      "b": { shape: [0], data: new Float32Array(0), dtype },
    }, { metadata: { format: "pt" } });
    assert.equal(
      (new DataView(bytes.buffer).getUint32(0, true) + 8) % 8,
      0,
      "header padded to 8 bytes",
    );
    const f = parseSafetensors(bytes, "mem");
    assert.deepEqual(f.metadata, { format: "pt" });
    const t = f.tensors.get("a.weight")!;
    assert.equal(t.dtype, dtype);
    assert.deepEqual(t.shape, [2, 5]);
    assert.deepEqual(f.tensors.get("b")!.shape, [0]);
    for (let i = 0; i < values.length; i++) {
      const v = values[i], got = t.data[i];
      if (dtype === "F32") assert.equal(got, v);
      else if (dtype === "F16" && Math.abs(v) > 65504) assert.equal(got, Infinity);
      else if (dtype === "F16" && Math.abs(v) < 6.1e-5) {
        assert.ok(Math.abs(got - v) <= 2 ** -25, `${dtype} ${v} -> ${got}`);
      } else {assert.ok(
          Math.abs(got - v) <= Math.abs(v) * (dtype === "F16" ? 2 ** -11 : 2 ** -8),
          `${dtype} ${v} -> ${got}`,
        );}
    }
  }
});

Deno.test("half conversions round to nearest even and keep specials", () => {
  assert.equal(toFloat16Bits(1), 0x3c00);
  assert.equal(toFloat16Bits(65504), 0x7bff);
  assert.equal(toFloat16Bits(65520), 0x7c00); // rounds up to Inf
  assert.equal(toFloat16Bits(1 + 2 ** -11), 0x3c00); // tie to even (down)
  assert.equal(toFloat16Bits(1 + 3 * 2 ** -11), 0x3c02); // tie to even (up)
  assert.equal(toFloat16Bits(2 ** -24), 0x0001); // smallest subnormal
  assert.ok(Number.isNaN(fromFloat16Bits(toFloat16Bits(NaN))));
  assert.equal(fromFloat16Bits(toFloat16Bits(-Infinity)), -Infinity);
  assert.equal(toBFloat16Bits(1), 0x3f80);
  assert.equal(fromBFloat16Bits(toBFloat16Bits(1 + 2 ** -8)), 1); // tie to even
  assert.ok(Number.isNaN(fromBFloat16Bits(toBFloat16Bits(NaN))));
});

/** A file from a header object (or raw header text) and a data region of `dataBytes` bytes. */
function craft(header: unknown, dataBytes: number, lengthOverride?: bigint): Uint8Array {
  const json = new TextEncoder().encode(
    typeof header === "string" ? header : JSON.stringify(header),
  );
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, lengthOverride ?? BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

const ok1 = { dtype: "F32", shape: [2], data_offsets: [0, 8] };
const hostile: [string, Uint8Array, RegExp][] = [
  ["too short", new Uint8Array(5), /shorter than the 8-byte header length/],
  ["length larger than file", craft({ a: ok1 }, 8, 1000n), /exceeds the file size minus 8/],
  ["length 2^63", craft({ a: ok1 }, 8, 2n ** 63n), /exceeds the 100000000-byte limit/],
  ["non-JSON", craft("{not json", 0), /not valid JSON/],
  [
    "invalid UTF-8",
    (() => {
      const b = craft('{"a":1}', 0);
      b[10] = 0xff;
      return b;
    })(),
    /not valid UTF-8/,
  ],
  ["array header", craft([1, 2], 0), /must be a JSON object/],
  [
    "metadata not strings",
    craft({ __metadata__: { x: 1 } }, 0),
    /__metadata__\.x must be a string/,
  ],
  [
    "negative offset",
    craft({ a: { dtype: "F32", shape: [2], data_offsets: [-8, 0] } }, 8),
    /tensor "a".*data_offsets must be/,
  ],
  [
    "begin > end",
    craft({ a: { dtype: "F32", shape: [0], data_offsets: [8, 0] } }, 8),
    /tensor "a".*begin 8 > end 0/,
  ],
  [
    "offset out of range",
    craft({ a: { dtype: "F32", shape: [4], data_offsets: [0, 16] } }, 8),
    /tensor "a".*beyond the data region of 8 bytes/,
  ],
  [
    "overlapping",
    craft({ a: ok1, b: { dtype: "F32", shape: [1], data_offsets: [4, 8] } }, 8),
    /overlap/,
  ],
  [
    "gap",
    craft({ a: { dtype: "F32", shape: [1], data_offsets: [4, 8] } }, 8),
    /gap in the data region/,
  ],
  ["trailing bytes", craft({ a: ok1 }, 12), /trailing bytes/],
  [
    "shape product overflow",
    craft({ a: { dtype: "F32", shape: [2 ** 52, 2 ** 52, 16], data_offsets: [0, 8] } }, 8),
    /tensor "a".*needs \d+ bytes but data_offsets span 8/,
  ],
  [
    "unknown dtype",
    craft({ a: { dtype: "F64", shape: [1], data_offsets: [0, 8] } }, 8),
    /tensor "a": unknown dtype "F64"/,
  ],
  [
    "shape/bytes mismatch",
    craft({ a: { dtype: "F32", shape: [3], data_offsets: [0, 8] } }, 8),
    /tensor "a".*needs 12 bytes/,
  ],
  [
    "negative dim",
    craft({ a: { dtype: "F32", shape: [-2], data_offsets: [0, 8] } }, 8),
    /tensor "a": shape must be/,
  ],
  [
    "fractional offset",
    craft({ a: { dtype: "F32", shape: [2], data_offsets: [0, 8.5] } }, 8),
    /data_offsets must be/,
  ],
  [
    "I64 out of int32",
    (() => {
      const b = craft({ a: { dtype: "I64", shape: [1], data_offsets: [0, 8] } }, 8);
      new DataView(b.buffer).setBigInt64(b.length - 8, 2n ** 40n, true);
      return b;
    })(),
    /does not fit int32/,
  ],
];

Deno.test("hostile headers are rejected with a message naming the file and the problem", () => {
  for (const [what, bytes, pattern] of hostile) {
    assert.throws(() => parseSafetensors(bytes, "evil.safetensors"), (e: Error) => {
      assert.ok(e instanceof SafetensorsError, `${what}: ${e}`);
      assert.match(e.message, /evil\.safetensors/, what);
      assert.match(e.message, pattern, `${what}: ${e.message}`);
      return true;
    }, what);
  }
});

Deno.test(
  "integer dtypes are read; " +
    "readSafetensors checks the header length before reading",
  async () => {
    const b = craft({
      i: { dtype: "I32", shape: [2], data_offsets: [0, 8] },
      u: { dtype: "U8", shape: [2], data_offsets: [8, 10] },
    }, 10);
    const dv = new DataView(b.buffer);
    const start = b.length - 10;
    dv.setInt32(start, -7, true);
    dv.setInt32(start + 4, 9, true);
    b[start + 8] = 200;
    const f = parseSafetensors(b);
    assert.deepEqual(Array.from(f.tensors.get("i")!.data), [-7, 9]);
    assert.deepEqual(Array.from(f.tensors.get("u")!.data), [200, 0]);
    const dir = await Deno.makeTempDir();
    try {
      await Deno.writeFile(`${dir}/big.safetensors`, craft({}, 0, 2n ** 63n));
      await assert.rejects(
        readSafetensors(`${dir}/big.safetensors`),
        /big\.safetensors.*100000000-byte limit/,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);
