/**
 * safetensors reader and writer (format of huggingface/safetensors): an 8-byte little-endian
 * header length N, N bytes of UTF-8 JSON `{name: {dtype, shape, data_offsets: [begin, end]},
 * "__metadata__"?: {string: string}}`, then the data region (offsets relative to its start).
 *
 * Dtypes: read F32, F16, BF16 (converted to float32), I32, I64 (to Int32Array, values must fit),
 * U8; write F32, F16, BF16 (from float32; F16 and BF16 round to nearest even).
 *
 * Validation (a hostile file gives a clear error naming the file and tensor, never an
 * out-of-bounds read, a huge allocation or a hang): header length <= 100 MB and <= file size - 8;
 * header valid UTF-8 JSON object; `__metadata__` a string map; every entry a known dtype, a shape
 * of non-negative safe integers, `data_offsets` two integers with begin <= end <= data size,
 * `product(shape) * dtype size == end - begin` (computed in BigInt, so no overflow); entries
 * sorted by offset must tile the data region exactly (start at 0, no gaps, no overlap, end at
 * the data size), as the reference Rust implementation requires.
 */

export type SafetensorsDtype = "F32" | "F16" | "BF16" | "I32" | "I64" | "U8";
export type WritableDtype = "F32" | "F16" | "BF16";

const DTYPE_SIZE: Record<SafetensorsDtype, number> = {
  F32: 4,
  F16: 2,
  BF16: 2,
  I32: 4,
  I64: 8,
  U8: 1,
};
export const MAX_HEADER_BYTES = 100_000_000;

export interface StoredTensor {
  dtype: SafetensorsDtype;
  shape: number[];
  /** float32 for F32/F16/BF16, Int32Array for I32/I64, Uint8Array for U8. */
  data: Float32Array | Int32Array | Uint8Array;
}

export interface SafetensorsFile {
  tensors: Map<string, StoredTensor>;
  metadata: Record<string, string>;
}

export class SafetensorsError extends Error {
  override name = "SafetensorsError";
}

// ---------------------------------------------------------------- half-precision conversion

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float32 -> IEEE binary16 bits, round to nearest even; overflow to ±Inf, NaN kept. */
export function toFloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // Inf / NaN
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow
  if (e <= 0) {
    if (e < -10) return sign; // underflow to zero
    mant |= 0x800000; // implicit bit
    const shift = 14 - e; // 14..24
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && (half & 1))) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (half & 1))) half++; // may carry into exponent: fine
  return sign | half;
}

export function fromFloat16Bits(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** float32 -> bfloat16 bits, round to nearest even; NaN kept. */
export function toBFloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0];
  if ((x & 0x7f800000) === 0x7f800000 && (x & 0x7fffff)) return ((x >>> 16) | 0x40) & 0xffff;
  const rounded = x + 0x7fff + ((x >>> 16) & 1);
  return (rounded >>> 16) & 0xffff;
}

export function fromBFloat16Bits(b: number): number {
  u32[0] = (b & 0xffff) << 16;
  return f32[0];
}

// ---------------------------------------------------------------- reading

function fail(where: string, what: string): never {
  throw new SafetensorsError(`Cannot read safetensors ${where}: ${what}`);
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Parses and validates a safetensors byte buffer. `where` names the file in errors. */
export function parseSafetensors(bytes: Uint8Array, where = "(buffer)"): SafetensorsFile {
  if (bytes.byteLength < 8) {
    fail(where, `file is ${bytes.byteLength} bytes, shorter than the 8-byte header length`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) {
    fail(where, `header length ${n} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  }
  if (n > BigInt(bytes.byteLength - 8)) {
    fail(where, `header length ${n} exceeds the file size minus 8 (${bytes.byteLength - 8})`);
  }
  const headerLen = Number(n);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + headerLen));
  } catch {
    fail(where, "header is not valid UTF-8");
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    fail(where, `header is not valid JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== "object" || Array.isArray(header)) {
    fail(where, "header must be a JSON object");
  }
  const dataStart = 8 + headerLen;
  const dataSize = bytes.byteLength - dataStart;
  const metadata: Record<string, string> = {};
  const entries: {
    name: string;
    dtype: SafetensorsDtype;
    shape: number[];
    begin: number;
    end: number;
  }[] = [];
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === "__metadata__") {
      if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
        fail(where, "__metadata__ must be an object of strings");
      }
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof v !== "string") {
          fail(where, `__metadata__.${k} must be a string, got ${typeof v}`);
        }
        metadata[k] = v;
      }
      continue;
    }
    const at = `tensor "${name}"`;
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
      fail(where, `${at}: entry must be an object`);
    }
    const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
    if (typeof dtype !== "string" || !(dtype in DTYPE_SIZE)) {
      fail(
        where,
        `${at}: unknown dtype ${JSON.stringify(dtype)} (allowed: ${
          Object.keys(DTYPE_SIZE).join(", ")
        })`,
      );
    }
    if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
      fail(
        where,
        `${at}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`,
      );
    }
    if (
      !Array.isArray(offsets) || offsets.length !== 2 ||
      offsets.some((o) => !Number.isSafeInteger(o) || o < 0)
    ) {
      fail(
        where,
        `${at}: data_offsets must be [begin, end] non-negative integers, got ${
          JSON.stringify(offsets)
        }`,
      );
    }
    const [begin, end] = offsets as [number, number];
    if (begin > end) fail(where, `${at}: data_offsets begin ${begin} > end ${end}`);
    if (end > dataSize) {
      fail(where, `${at}: data_offsets end ${end} is beyond the data region of ${dataSize} bytes`);
    }
    let elems = 1n;
    for (const d of shape as number[]) elems *= BigInt(d);
    const want = elems * BigInt(DTYPE_SIZE[dtype as SafetensorsDtype]);
    if (want !== BigInt(end - begin)) {
      fail(
        where,
        `${at}: shape [${shape}] of ${dtype} needs ${want} bytes but data_offsets span ${
          end - begin
        }`,
      );
    }
    entries.push({ name, dtype: dtype as SafetensorsDtype, shape: shape as number[], begin, end });
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const e of entries) {
    if (e.begin < cursor) {
      fail(
        where,
        `tensor "${e.name}": data_offsets [${e.begin}, ${e.end}] overlap the previous tensor ` +
          `(ends at ${cursor})`,
      );
    }
    if (e.begin > cursor) {
      fail(
        where,
        `tensor "${e.name}": gap in the data region before offset ${e.begin} ` +
          `(previous tensor ends at ${cursor})`,
      );
    }
    cursor = e.end;
  }
  if (cursor !== dataSize) {
    fail(
      where,
      `tensors cover ${cursor} bytes but the data region holds ${dataSize} (trailing bytes)`,
    );
  }

  const tensors = new Map<string, StoredTensor>();
  for (const e of entries) {
    const off = dataStart + e.begin;
    const count = (e.end - e.begin) / DTYPE_SIZE[e.dtype];
    tensors.set(e.name, {
      dtype: e.dtype,
      shape: e.shape,
      data: decode(bytes, view, off, count, e.dtype, where, e.name),
    });
  }
  return { tensors, metadata };
}

function decode(
  bytes: Uint8Array,
  view: DataView,
  off: number,
  count: number,
  dtype: SafetensorsDtype,
  where: string,
  name: string,
): Float32Array | Int32Array | Uint8Array {
  switch (dtype) {
    case "F32": {
      if (LITTLE_ENDIAN) return new Float32Array(bytes.slice(off, off + 4 * count).buffer);
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(off + 4 * i, true);
      return out;
    }
    case "F16": {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = fromFloat16Bits(view.getUint16(off + 2 * i, true));
      return out;
    }
    case "BF16": {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = fromBFloat16Bits(view.getUint16(off + 2 * i, true));
      return out;
    }
    case "I32": {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(off + 4 * i, true);
      return out;
    }
    case "I64": {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        const v = view.getBigInt64(off + 8 * i, true);
        if (v > 2147483647n || v < -2147483648n) {
          fail(where, `tensor "${name}": I64 value ${v} at index ${i} does not fit int32`);
        }
        out[i] = Number(v);
      }
      return out;
    }
    case "U8":
      return bytes.slice(off, off + count);
  }
}

/** Reads and validates a .safetensors file (the header is checked before the data is read). */
export async function readSafetensors(path: string): Promise<SafetensorsFile> {
  const file = await Deno.open(path, { read: true });
  try {
    const { size } = await file.stat();
    const head = new Uint8Array(8);
    let got = 0;
    while (got < 8) {
      const r = await file.read(head.subarray(got));
      if (r === null) break;
      got += r;
    }
    if (got < 8) fail(path, `file is ${size} bytes, shorter than the 8-byte header length`);
    const n = new DataView(head.buffer).getBigUint64(0, true);
    if (n > BigInt(MAX_HEADER_BYTES)) {
      fail(path, `header length ${n} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
    }
    if (n > BigInt(size - 8)) {
      fail(path, `header length ${n} exceeds the file size minus 8 (${size - 8})`);
    }
  } finally {
    file.close();
  }
  return parseSafetensors(await Deno.readFile(path), path);
}

// ---------------------------------------------------------------- writing

export interface TensorToWrite {
  shape: number[];
  data: Float32Array;
  /** Stored dtype (default F32). */
  dtype?: WritableDtype;
}

/**
 * Serialises tensors (float32 data, converted to the requested dtype) in name order, header
 * padded with spaces to a multiple of 8 bytes as the reference writer does.
 */
export function serializeSafetensors(
  tensors: Map<string, TensorToWrite> | Record<string, TensorToWrite>,
  options: { metadata?: Record<string, string> } = {},
): Uint8Array {
  const map = tensors instanceof Map ? tensors : new Map(Object.entries(tensors));
  const names = [...map.keys()].sort();
  const header: Record<string, unknown> = {};
  if (options.metadata) header.__metadata__ = options.metadata;
  let offset = 0;
  for (const name of names) {
    if (name === "__metadata__") {
      throw new RangeError(`serializeSafetensors: "__metadata__" is reserved as a tensor name`);
    }
    const t = map.get(name)!;
    const dtype = t.dtype ?? "F32";
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) {
      throw new RangeError(
        `serializeSafetensors: tensor "${name}" has ${t.data.length} values for shape [${t.shape}]`,
      );
    }
    const nbytes = count * DTYPE_SIZE[dtype];
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + nbytes] };
    offset += nbytes;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const pad = (8 - (json.length % 8)) % 8;
  if (pad) json = new TextEncoder().encode(JSON.stringify(header) + " ".repeat(pad));
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let pos = 8 + json.length;
  for (const name of names) {
    const t = map.get(name)!;
    const dtype = t.dtype ?? "F32";
    const d = t.data;
    if (dtype === "F32") {
      for (let i = 0; i < d.length; i++) view.setFloat32(pos + 4 * i, d[i], true);
      pos += 4 * d.length;
    } else {
      const conv = dtype === "F16" ? toFloat16Bits : toBFloat16Bits;
      for (let i = 0; i < d.length; i++) view.setUint16(pos + 2 * i, conv(d[i]), true);
      pos += 2 * d.length;
    }
  }
  return out;
}

export async function writeSafetensors(
  path: string,
  tensors: Map<string, TensorToWrite> | Record<string, TensorToWrite>,
  options: { metadata?: Record<string, string> } = {},
): Promise<void> {
  await Deno.writeFile(path, serializeSafetensors(tensors, options));
}
