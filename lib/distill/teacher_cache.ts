/**
 * Teacher-output cache: the teacher runs once per (teacher, tokenizer, maxLength, split,
 * texts, cached layers) and every student reuses its outputs.
 *
 * Layout: `<root>/<key>/data.bin` (all arrays, one after another, 8-byte aligned) and
 * `<root>/<key>/index.json` (block offsets, shapes, sizes and the sha256 of data.bin), with
 * `<root>` = `.cache/teacher_outputs` in the project and `key` = sha256 of the canonical JSON of
 * the key parts and the hidden-state choice (`teacherCacheKey`).
 *
 * Crash safety: a build writes into `<key>.tmp-<pid>-<n>/`, writes index.json last, then renames
 * the folder to `<key>/`. Opening checks index.json (zod), the key, data.bin's size and (by
 * default) its sha256; anything missing or different is "incomplete": `openTeacherCache` throws
 * and `buildTeacherCache` deletes that folder and rebuilds. A cache is never used half-written.
 *
 * Precision: logits are stored as float32 (n × labels is small, and low temperatures amplify
 * rounding); hidden states as float16 (half the disk; relative error ≤ 2^-11, far below the
 * differences the hidden losses act on).
 *
 * Hidden states, a documented choice: a full [examples, seq, width] tensor per layer is too
 * large for a whole training split (SST-2: 67k × 66 × 768 × 2 B ≈ 6.8 GB per layer), so
 * `hidden.pooling` is either "cls" (position 0 only: n × width per layer, ≈ 100 MB per layer
 * for SST-2 at width 768; enough for BERT-PKD's loss) or "tokens" (every real token, no padding
 * stored; meant for a proxy subset, as KD-NAS distils candidates on a proxy set). Attention maps
 * are never cached: attention matching needs the live teacher. The whole data.bin is read into
 * memory on open.
 *
 * Token alignment: cached token states are only meaningful for batches tokenized the same way
 * (tokenizer and maxLength are in the key) and padded on the right; `hiddenFor` pads to the
 * batch's seqLen and `addTeacherTargets` checks each example's real-token count.
 */
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import type { EncodedBatch, Example } from "../data/mod.ts";
import type { Classifier } from "../models/mod.ts";
import { taskProgress } from "../backend/mod.ts";

export interface TeacherCacheKeyParts {
  /** sha256 of the teacher checkpoint (`sha256File`). */
  teacherSha256: string;
  /** Tokenizer id or the sha256 of its vocabulary. */
  tokenizer: string;
  maxLength: number;
  /** Split name, e.g. "sst2/train". */
  split: string;
  /** `hashExamples(examples)`. */
  examplesSha256: string;
}

export type HiddenPooling = "cls" | "tokens";

export interface CachedHiddenSpec {
  /** Hidden-state layers to store (0 = embeddings, 1..L = layers). */
  layers: number[];
  pooling: HiddenPooling;
}

const FORMAT = "rosearch-teacher-cache";
const VERSION = 1;

/** `<project>/.cache/teacher_outputs`. */
export const DEFAULT_CACHE_ROOT = fileURLToPath(
  new URL("../../.cache/teacher_outputs", import.meta.url),
);

function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** sha256 of a file's bytes (teacher checkpoints, vocabularies), streamed in 4 MiB chunks. */
export function sha256File(path: string): string {
  const h = createHash("sha256");
  const file = Deno.openSync(path, { read: true });
  try {
    const buf = new Uint8Array(4 << 20);
    for (let n = file.readSync(buf); n !== null && n > 0; n = file.readSync(buf)) {
      h.update(buf.subarray(0, n));
    }
  } finally {
    file.close();
  }
  return h.digest("hex");
}

/** sha256 of the texts (text and textB) in order; labels are not part of the teacher's input. */
export function hashExamples(examples: readonly Example[]): string {
  return sha256(JSON.stringify(examples.map((e) => [e.text, e.textB ?? null])));
}

/** The cache key: sha256 of the key parts and the hidden-state choice, as canonical JSON. */
export function teacherCacheKey(parts: TeacherCacheKeyParts, hidden?: CachedHiddenSpec): string {
  const canonical = {
    teacherSha256: parts.teacherSha256,
    tokenizer: parts.tokenizer,
    maxLength: parts.maxLength,
    split: parts.split,
    examplesSha256: parts.examplesSha256,
    hidden: hidden ? { layers: [...hidden.layers], pooling: hidden.pooling } : null,
  };
  return sha256(JSON.stringify(canonical));
}

const blockSchema = z.object({
  offset: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  dtype: z.enum(["float32", "float16", "int32", "float64"]),
  shape: z.array(z.number().int().nonnegative()),
});
type Block = z.infer<typeof blockSchema>;

const indexSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(VERSION),
  key: z.string().regex(/^[0-9a-f]{64}$/),
  keyParts: z.object({
    teacherSha256: z.string(),
    tokenizer: z.string(),
    maxLength: z.number(),
    split: z.string(),
    examplesSha256: z.string(),
  }),
  numExamples: z.number().int().nonnegative(),
  numLabels: z.number().int().positive(),
  hidden: z.object({
    layers: z.array(z.number().int().nonnegative()),
    pooling: z.enum(["cls", "tokens"]),
    width: z.number().int().positive(),
  }).nullable(),
  dataBytes: z.number().int().nonnegative(),
  dataSha256: z.string().regex(/^[0-9a-f]{64}$/),
  blocks: z.record(blockSchema),
  complete: z.literal(true),
});
type CacheIndex = z.infer<typeof indexSchema>;

/** Targets for one batch, in batch order. */
export interface TeacherTargets {
  logits: Float32Array; // [batch, numLabels]
  /** Per cached layer: "cls" → [batch, width]; "tokens" → [batch, seqLen, width]. */
  hidden: Map<number, Float32Array>;
}

export type TeacherBatch = EncodedBatch & { teacher: TeacherTargets };

export interface TeacherCache {
  readonly key: string;
  readonly dir: string;
  readonly numExamples: number;
  readonly numLabels: number;
  readonly hidden: { layers: number[]; pooling: HiddenPooling; width: number } | null;
  /** True when this call ran the teacher, false when an existing cache was reused. */
  readonly built: boolean;
  /** Teacher logits [indices.length, numLabels], row-major. */
  logitsFor(indices: readonly number[]): Float32Array;
  /**
   * Cached hidden state of `layer` for the examples: "cls" → [n, width]; "tokens" →
   * [n, seqLen, width] zero-padded (seqLen defaults to the longest of these examples).
   */
  hiddenFor(indices: readonly number[], layer: number, options?: { seqLen?: number }): Float32Array;
  /** Real-token count of each example ("tokens" pooling only). */
  lengthsFor(indices: readonly number[]): Int32Array;
}

export interface OpenOptions {
  /** Cache root folder; default `.cache/teacher_outputs` in the project. */
  root?: string;
  /** Check data.bin's sha256 (reads the whole file; default true). */
  verify?: boolean;
}

export interface BuildOptions extends OpenOptions {
  keyParts: TeacherCacheKeyParts;
  /** Number of examples in the split; the batches' indices must cover 0..numExamples-1 once. */
  numExamples: number;
  /** Hidden states to store; default none (logits only). */
  hidden?: CachedHiddenSpec;
  /** Rebuild even when a complete cache exists. Default false. */
  rebuild?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/** Why a cache folder cannot be used, or its parsed index and bytes. */
function readCache(
  dir: string,
  key: string,
  verify: boolean,
): { index: CacheIndex; data: Uint8Array } | string {
  let raw: string;
  try {
    raw = Deno.readTextFileSync(`${dir}/index.json`);
  } catch {
    try {
      Deno.statSync(dir);
    } catch {
      return "missing";
    }
    return "incomplete: no index.json (the build was interrupted)";
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    return `incomplete: index.json is not JSON (${(e as Error).message})`;
  }
  const r = indexSchema.safeParse(parsed);
  if (!r.success) {
    const first = r.error.issues[0];
    return `incomplete: index.json ${first.path.join(".")}: ${first.message}`;
  }
  const index = r.data;
  if (index.key !== key) return `incomplete: index.json is for key ${index.key}`;
  let data: Uint8Array;
  try {
    data = Deno.readFileSync(`${dir}/data.bin`);
  } catch {
    return "incomplete: data.bin is missing";
  }
  if (data.byteLength !== index.dataBytes) {
    return `incomplete: data.bin has ${data.byteLength} bytes, index.json says ${index.dataBytes}`;
  }
  if (verify && sha256(data) !== index.dataSha256) {
    return "incomplete: data.bin's sha256 differs from index.json";
  }
  return { index, data };
}

/**
 * Opens a complete cache by key. Throws an Error saying why when the folder is missing or
 * incomplete (then call `buildTeacherCache`, which rebuilds it).
 */
export function openTeacherCache(key: string, options: OpenOptions = {}): TeacherCache {
  const root = options.root ?? DEFAULT_CACHE_ROOT;
  const dir = `${root}/${key}`;
  const r = readCache(dir, key, options.verify ?? true);
  if (typeof r === "string") {
    throw new Error(`Teacher cache ${dir} is ${r}; rebuild it with buildTeacherCache`);
  }
  return cacheView(dir, r.index, r.data, false);
}

function view(data: Uint8Array, block: Block | undefined, name: string) {
  if (!block) throw new Error(`Teacher cache: block "${name}" is missing from index.json`);
  const buf = data.buffer;
  const at = data.byteOffset + block.offset;
  switch (block.dtype) {
    case "float32":
      return new Float32Array(buf, at, block.bytes / 4);
    case "float16":
      return new Float16Array(buf, at, block.bytes / 2);
    case "int32":
      return new Int32Array(buf, at, block.bytes / 4);
    case "float64":
      return new Float64Array(buf, at, block.bytes / 8);
  }
}

function cacheView(
  dir: string,
  index: CacheIndex,
  bytes: Uint8Array,
  built: boolean,
): TeacherCache {
  // Copy into a fresh 8-byte-aligned buffer so every block view is aligned.
  const data = new Uint8Array(new ArrayBuffer(bytes.byteLength));
  data.set(bytes);
  const n = index.numExamples, c = index.numLabels;
  const logits = view(data, index.blocks.logits, "logits") as Float32Array;
  const hidden = index.hidden;
  const cls = hidden?.pooling === "cls"
    ? view(data, index.blocks.cls, "cls") as Float16Array
    : null;
  const tokens = hidden?.pooling === "tokens"
    ? view(data, index.blocks.tokens, "tokens") as Float16Array
    : null;
  const lengths = tokens ? view(data, index.blocks.lengths, "lengths") as Int32Array : null;
  const offsets = tokens ? view(data, index.blocks.offsets, "offsets") as Float64Array : null;

  const checkIndices = (where: string, indices: readonly number[]) => {
    for (const i of indices) {
      if (!Number.isInteger(i) || i < 0 || i >= n) {
        throw new RangeError(`TeacherCache.${where}: example index ${i} is outside 0..${n - 1}`);
      }
    }
  };
  const layerSlot = (where: string, layer: number) => {
    const slot = hidden ? hidden.layers.indexOf(layer) : -1;
    if (slot < 0) {
      throw new RangeError(
        `TeacherCache.${where}: layer ${layer} is not cached (cached layers: ${
          hidden?.layers.join(", ") || "none"
        })`,
      );
    }
    return slot;
  };

  return {
    key: index.key,
    dir,
    numExamples: n,
    numLabels: c,
    hidden: hidden ? { ...hidden, layers: [...hidden.layers] } : null,
    built,
    logitsFor(indices) {
      checkIndices("logitsFor", indices);
      const out = new Float32Array(indices.length * c);
      indices.forEach((e, r) => out.set(logits.subarray(e * c, (e + 1) * c), r * c));
      return out;
    },
    lengthsFor(indices) {
      checkIndices("lengthsFor", indices);
      if (!lengths) {
        throw new RangeError(
          `TeacherCache.lengthsFor: the cache has no token states (pooling ${
            hidden?.pooling ?? "none"
          })`,
        );
      }
      return Int32Array.from(indices, (e) => lengths[e]);
    },
    hiddenFor(indices, layer, options = {}) {
      checkIndices("hiddenFor", indices);
      const slot = layerSlot("hiddenFor", layer);
      const w = hidden!.width, numLayers = hidden!.layers.length;
      if (cls) {
        const out = new Float32Array(indices.length * w);
        indices.forEach((e, r) => {
          const start = (e * numLayers + slot) * w;
          for (let k = 0; k < w; k++) out[r * w + k] = cls[start + k];
        });
        return out;
      }
      const lens = indices.map((e) => lengths![e]);
      const seqLen = options.seqLen ?? Math.max(0, ...lens);
      const out = new Float32Array(indices.length * seqLen * w);
      indices.forEach((e, r) => {
        const len = lens[r];
        if (len > seqLen) {
          throw new RangeError(
            `TeacherCache.hiddenFor: example ${e} has ${len} tokens, more than seqLen ${seqLen}`,
          );
        }
        const start = offsets![e] + slot * len * w;
        for (let k = 0; k < len * w; k++) out[r * seqLen * w + k] = tokens![start + k];
      });
      return out;
    },
  };
}

/**
 * Adds the cached teacher targets to a batch (rows follow `batch.indices`). With "tokens"
 * pooling each example's real-token count must equal the cache's, otherwise the batch was
 * tokenized differently and the call throws.
 */
export function addTeacherTargets(
  batch: EncodedBatch,
  cache: TeacherCache,
  options: { layers?: number[] } = {},
): TeacherBatch {
  const layers = options.layers ?? cache.hidden?.layers ?? [];
  const hidden = new Map<number, Float32Array>();
  if (cache.hidden?.pooling === "tokens" && layers.length > 0) checkLengths(batch, cache);
  for (const l of layers) {
    hidden.set(l, cache.hiddenFor(batch.indices, l, { seqLen: batch.seqLen }));
  }
  return { ...batch, teacher: { logits: cache.logitsFor(batch.indices), hidden } };
}

/** Throws when a batch's real-token counts differ from the cached ones. */
export function checkLengths(batch: EncodedBatch, cache: TeacherCache): void {
  const cached = cache.lengthsFor(batch.indices);
  for (let r = 0; r < batch.batchSize; r++) {
    let len = 0;
    for (let j = 0; j < batch.seqLen; j++) len += batch.attentionMask[r * batch.seqLen + j];
    if (len !== cached[r]) {
      throw new RangeError(
        `Teacher cache ${cache.key.slice(0, 12)}: example ${
          batch.indices[r]
        } has ${len} real tokens in the ` +
          `batch but ${
            cached[r]
          } in the cache: the tokenizer or maxLength differ from the cached ones`,
      );
    }
  }
}

let tmpCounter = 0;

/**
 * Runs the teacher over the batches (inference mode) and writes the cache, or reuses a complete
 * cache with the same key (then `built` is false and the teacher is not run). An incomplete
 * folder for the key is deleted and rebuilt.
 */
export function buildTeacherCache(
  teacher: Classifier,
  batches: Iterable<EncodedBatch>,
  options: BuildOptions,
): TeacherCache {
  const root = options.root ?? DEFAULT_CACHE_ROOT;
  const spec = options.hidden && options.hidden.layers.length > 0 ? options.hidden : undefined;
  const key = teacherCacheKey(options.keyParts, spec);
  const dir = `${root}/${key}`;
  const n = options.numExamples;
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`buildTeacherCache: numExamples must be ≥ 1, got ${n}`);
  }
  if (!options.rebuild) {
    const r = readCache(dir, key, options.verify ?? true);
    if (typeof r !== "string") return cacheView(dir, r.index, r.data, false);
  }
  Deno.mkdirSync(root, { recursive: true });
  const tmp = `${root}/${key}.tmp-${Deno.pid}-${tmpCounter++}`;
  Deno.mkdirSync(tmp, { recursive: true });
  try {
    const index = writeCache(teacher, batches, tmp, key, options, spec);
    try {
      Deno.removeSync(dir, { recursive: true });
    } catch { /* none */ }
    Deno.renameSync(tmp, dir);
    return cacheView(dir, index, Deno.readFileSync(`${dir}/data.bin`), true);
  } catch (e) {
    try {
      Deno.removeSync(tmp, { recursive: true });
    } catch { /* already gone */ }
    throw e;
  }
}

function writeCache(
  teacher: Classifier,
  batches: Iterable<EncodedBatch>,
  dir: string,
  key: string,
  options: BuildOptions,
  spec: CachedHiddenSpec | undefined,
): CacheIndex {
  const n = options.numExamples;
  const c = teacher.numLabels;
  const layers = spec?.layers ?? [];
  const pooling = spec?.pooling;
  const seen = new Uint8Array(n);
  const logits = new Float32Array(n * c);
  let width = 0;
  let cls: Float16Array | null = null;
  const lengths = new Int32Array(n), offsets = new Float64Array(n);
  const file = Deno.openSync(`${dir}/data.bin`, { write: true, create: true, truncate: true });
  const hash = createHash("sha256");
  let bytes = 0;
  const write = (chunk: Uint8Array) => {
    let done = 0;
    while (done < chunk.byteLength) done += file.writeSync(chunk.subarray(done));
    hash.update(chunk);
    bytes += chunk.byteLength;
  };
  const align = () => {
    if (bytes % 8 !== 0) write(new Uint8Array(8 - (bytes % 8)));
  };
  const asBytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let tokenElements = 0;
  try {
    let done = 0;
    for (const batch of batches) {
      const b = batch.batchSize, s = batch.seqLen;
      for (const e of batch.indices) {
        if (!Number.isInteger(e) || e < 0 || e >= n) {
          throw new RangeError(
            `buildTeacherCache: batch index ${e} is outside 0..${n - 1} (numExamples ${n})`,
          );
        }
        if (seen[e]) {
          throw new RangeError(`buildTeacherCache: example ${e} appears in more than one batch`);
        }
        seen[e] = 1;
      }
      const out = tf.tidy(() => {
        const o = teacher.forward(batch, { training: false, outputHidden: layers.length > 0 });
        for (const l of layers) {
          if (l >= o.hidden.length) {
            throw new RangeError(
              `buildTeacherCache: hidden layer ${l} does not exist (the teacher returns layers 0..${
                o.hidden.length - 1
              })`,
            );
          }
        }
        return { logits: o.logits, hidden: layers.map((l) => o.hidden[l]) };
      });
      try {
        const lg = out.logits.dataSync() as Float32Array;
        batch.indices.forEach((e, r) => logits.set(lg.subarray(r * c, (r + 1) * c), e * c));
        if (layers.length > 0) {
          const w = out.hidden[0].shape[2];
          if (width === 0) {
            width = w;
            if (pooling === "cls") cls = new Float16Array(n * layers.length * w);
          }
          const hs = out.hidden.map((h) => h.dataSync() as Float32Array); // each [b, s, w]
          for (let r = 0; r < b; r++) {
            const e = batch.indices[r];
            if (pooling === "cls") {
              hs.forEach((h, li) =>
                cls!.set(h.subarray(r * s * w, r * s * w + w), (e * layers.length + li) * w)
              );
            } else {
              const len = realLength(batch, r);
              lengths[e] = len;
              offsets[e] = tokenElements;
              for (const h of hs) {
                const part = Float16Array.from(h.subarray(r * s * w, (r * s + len) * w));
                write(asBytes(part));
                tokenElements += part.length;
              }
            }
          }
        }
      } finally {
        tf.dispose(out as unknown as tf.TensorContainer);
      }
      done += b;
      options.onProgress?.(done, n);
      taskProgress(done, n, "examples cached"); // inside a pool worker: to the pool's activity
    }
    const missing = seen.indexOf(0);
    if (missing >= 0) {
      const count = seen.reduce((a, x) => a + (x ? 0 : 1), 0);
      throw new RangeError(
        `buildTeacherCache: ${count} of ${n} examples are in no batch (first: ${missing})`,
      );
    }
    const blocks: Record<string, Block> = {};
    const put = (
      name: string,
      a: Float32Array | Float16Array | Int32Array | Float64Array,
      dtype: Block["dtype"],
      shape: number[],
    ) => {
      align();
      blocks[name] = { offset: bytes, bytes: a.byteLength, dtype, shape };
      write(asBytes(a));
    };
    if (pooling === "tokens" && layers.length > 0) {
      blocks.tokens = {
        offset: 0,
        bytes: tokenElements * 2,
        dtype: "float16",
        shape: [tokenElements],
      };
    }
    put("logits", logits, "float32", [n, c]);
    if (cls) put("cls", cls, "float16", [n, layers.length, width]);
    if (pooling === "tokens" && layers.length > 0) {
      put("lengths", lengths, "int32", [n]);
      put("offsets", offsets, "float64", [n]);
    }
    file.syncSync();
    const index: CacheIndex = {
      format: FORMAT,
      version: VERSION,
      key,
      keyParts: { ...options.keyParts },
      numExamples: n,
      numLabels: c,
      hidden: spec ? { layers: [...layers], pooling: spec.pooling, width } : null,
      dataBytes: bytes,
      dataSha256: hash.digest("hex"),
      blocks,
      complete: true,
    };
    Deno.writeTextFileSync(`${dir}/index.json`, JSON.stringify(index, null, 1) + "\n"); // last
    return index;
  } finally {
    file.close();
  }
}

/** Real tokens in row r; the padding must be on the right. */
function realLength(batch: EncodedBatch, r: number): number {
  const s = batch.seqLen;
  let len = 0;
  while (len < s && batch.attentionMask[r * s + len] === 1) len++;
  for (let j = len; j < s; j++) {
    if (batch.attentionMask[r * s + j] !== 0) {
      throw new RangeError(
        `buildTeacherCache: example ${
          batch.indices[r]
        } is not right-padded (mask has a 1 at ${j} after a 0); ` +
          `token caching needs right padding`,
      );
    }
  }
  return len;
}
