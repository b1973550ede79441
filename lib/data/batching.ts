/**
 * Examples → padded `EncodedBatch`es (typed arrays, row-major [batch, seqLen]; no tfjs here).
 *
 * - `encodeExamples` tokenizes once; encodings are cached per example object (and tokenizer and
 *   maxLength), so building batches again each epoch does not tokenize again.
 * - `encodeBatch` pads to the longest row of the batch (optionally up to a multiple).
 * - `bucketBatches` is length-bucketed batching as in torchtext's BucketIterator: shuffle, cut
 *   into pools of `poolSize` examples, sort each pool by token length (lengths rounded down to
 *   multiples of `bucketWidth`, ties kept in shuffled order), cut into batches, shuffle the batch
 *   order. Deterministic for a seed.
 */
import type { EncodedBatch, Example } from "./types.ts";
import type { BertTokenizer } from "./tokenizer.ts";
import { Prng } from "../random/mod.ts";

/** One tokenized example: ids and token types (same length), not padded. */
export interface EncodedExample {
  ids: Int32Array;
  tokenTypeIds: Int32Array;
}

export interface EncodeBatchOptions {
  /**
   * Longest row including [CLS]/[SEP] (default 128); longer inputs are truncated (longest_first).
   */
  maxLength?: number;
  /**
   * Pad the sequence length up to a multiple of this (default: no rounding). May exceed maxLength.
   */
  padToMultipleOf?: number;
}

export interface BucketOptions {
  /** Examples per batch (default 32); only the last batch may be smaller. */
  batchSize?: number;
  /** Longest row (default 64). */
  maxLength?: number;
  /** Shuffle examples before pooling and batches after (default true; needs `seed` or `prng`). */
  shuffle?: boolean;
  seed?: number;
  /** A generator to draw from instead of `seed` (advanced by the call). */
  prng?: Prng;
  /** Examples sorted together, rounded up to whole batches (default 100 batches; Infinity: all). */
  poolSize?: number;
  /** Sort key = floor(length / bucketWidth) (default 1: exact length). */
  bucketWidth?: number;
  padToMultipleOf?: number;
}

interface CacheEntry {
  tokenizer: BertTokenizer;
  maxLength: number;
  text: string;
  textB: string | undefined;
  enc: EncodedExample;
}
const cache = new WeakMap<Example, CacheEntry>();

function encodeOne(e: Example, tokenizer: BertTokenizer, maxLength: number): EncodedExample {
  const c = cache.get(e);
  if (
    c && c.tokenizer === tokenizer && c.maxLength === maxLength && c.text === e.text &&
    c.textB === e.textB
  ) {
    return c.enc;
  }
  const r = tokenizer.encode(e.text, e.textB, { maxLength });
  const enc = { ids: Int32Array.from(r.ids), tokenTypeIds: Int32Array.from(r.tokenTypeIds) };
  cache.set(e, { tokenizer, maxLength, text: e.text, textB: e.textB, enc });
  return enc;
}

/** Tokenizes every example (cached per example, tokenizer and maxLength). */
export function encodeExamples(
  examples: readonly Example[],
  tokenizer: BertTokenizer,
  options: { maxLength?: number } = {},
): EncodedExample[] {
  const maxLength = options.maxLength ?? 128;
  return examples.map((e) => encodeOne(e, tokenizer, maxLength));
}

/**
 * Pads already-encoded rows into one batch; `indices` name the rows in `encoded`/`examples`.
 * Rows without token types get 0s (the attacks' masked LM builds its rows by hand).
 */
export function collate(
  encoded: readonly { ids: ArrayLike<number>; tokenTypeIds?: ArrayLike<number> }[],
  indices: readonly number[],
  examples: readonly Example[] | null,
  options: { padToMultipleOf?: number; padId?: number } = {},
): EncodedBatch {
  const batchSize = indices.length;
  if (batchSize === 0) throw new RangeError("Cannot build a batch from 0 examples");
  let seqLen = 0;
  for (const i of indices) seqLen = Math.max(seqLen, encoded[i].ids.length);
  const m = options.padToMultipleOf;
  if (m !== undefined) {
    if (!Number.isInteger(m) || m < 1) {
      throw new RangeError(`padToMultipleOf must be a positive integer, got ${m}`);
    }
    seqLen = Math.ceil(seqLen / m) * m;
  }
  const inputIds = new Int32Array(batchSize * seqLen).fill(options.padId ?? 0); // [batch * seqLen]
  const tokenTypeIds = new Int32Array(batchSize * seqLen); // [batch * seqLen]
  const attentionMask = new Int32Array(batchSize * seqLen); // [batch * seqLen]
  indices.forEach((src, row) => {
    const { ids, tokenTypeIds: tt } = encoded[src];
    inputIds.set(ids, row * seqLen);
    if (tt) tokenTypeIds.set(tt, row * seqLen);
    attentionMask.fill(1, row * seqLen, row * seqLen + ids.length);
  });
  const batch: EncodedBatch = {
    batchSize,
    seqLen,
    inputIds,
    tokenTypeIds,
    attentionMask,
    indices: [...indices],
  };
  if (examples) batch.labels = Int32Array.from(indices, (i) => examples[i].label); // [batch]
  return batch;
}

/** One batch of all `examples`, padded to the longest (indices 0..n-1). */
export function encodeBatch(
  examples: readonly Example[],
  tokenizer: BertTokenizer,
  options: EncodeBatchOptions = {},
): EncodedBatch {
  const encoded = encodeExamples(examples, tokenizer, { maxLength: options.maxLength });
  return collate(encoded, examples.map((_, i) => i), examples, {
    padToMultipleOf: options.padToMultipleOf,
    padId: tokenizer.specialIds.pad,
  });
}

/** Length-bucketed batches over all `examples` (see the file comment). */
export function bucketBatches(
  examples: readonly Example[],
  tokenizer: BertTokenizer,
  options: BucketOptions = {},
): EncodedBatch[] {
  const batchSize = options.batchSize ?? 32;
  const shuffle = options.shuffle ?? true;
  const poolSize = options.poolSize ?? batchSize * 100;
  const bucketWidth = options.bucketWidth ?? 1;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  }
  if (!(poolSize >= 1)) throw new RangeError(`poolSize must be >= 1, got ${poolSize}`);
  if (!(bucketWidth >= 1)) throw new RangeError(`bucketWidth must be >= 1, got ${bucketWidth}`);
  let prng: Prng | null = null;
  if (shuffle) {
    if (options.prng) prng = options.prng;
    else if (options.seed !== undefined) prng = Prng.fromSeed(options.seed);
    else {throw new TypeError(
        "bucketBatches with shuffle needs a seed or a prng (DESIGN.md rule 7)",
      );}
  }
  const encoded = encodeExamples(examples, tokenizer, { maxLength: options.maxLength ?? 64 });
  const order = examples.map((_, i) => i);
  if (prng) prng.shuffle(order);
  const key = encoded.map((e) => Math.floor(e.ids.length / bucketWidth));
  const groups: number[][] = [];
  // pools hold whole batches, so only the very last batch can be short
  const pool = Math.max(1, Math.min(Math.ceil(poolSize / batchSize) * batchSize, order.length));
  for (let start = 0; start < order.length; start += pool) {
    const chunk = order.slice(start, start + pool).map((i, pos) => ({ i, pos }));
    chunk.sort((a, b) => key[a.i] - key[b.i] || a.pos - b.pos);
    for (let k = 0; k < chunk.length; k += batchSize) {
      groups.push(chunk.slice(k, k + batchSize).map((c) => c.i));
    }
  }
  if (prng) prng.shuffle(groups);
  return groups.map((g) =>
    collate(encoded, g, examples, {
      padToMultipleOf: options.padToMultipleOf,
      padId: tokenizer.specialIds.pad,
    })
  );
}

/** Plain batches in order (or shuffled), no length sorting: the baseline for `paddingFraction`. */
export function plainBatches(
  examples: readonly Example[],
  tokenizer: BertTokenizer,
  options: Omit<BucketOptions, "poolSize" | "bucketWidth"> = {},
): EncodedBatch[] {
  return bucketBatches(examples, tokenizer, {
    ...options,
    poolSize: options.batchSize ?? 32,
    bucketWidth: Infinity,
  });
}

/** Share of padding slots over all slots of the batches (0 = no padding). */
export function paddingFraction(batches: readonly EncodedBatch[]): number {
  let slots = 0;
  let real = 0;
  for (const b of batches) {
    slots += b.batchSize * b.seqLen;
    for (let i = 0; i < b.attentionMask.length; i++) real += b.attentionMask[i];
  }
  return slots === 0 ? 0 : 1 - real / slots;
}
