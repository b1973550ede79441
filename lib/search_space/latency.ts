/**
 * Latency probe: median wall-clock milliseconds of a forward pass (inference mode) over a
 * synthetic batch, after warm-up. Reads the logits back so the time includes the whole
 * computation (wasm runs synchronously; a GPU backend would otherwise return early).
 */
import type { EncodedBatch } from "../data/mod.ts";
import type { Classifier } from "../models/mod.ts";

export interface LatencyOptions {
  /** Default 32. */
  batchSize?: number;
  /** Default 48. */
  seqLen?: number;
  /** Timed forwards. Default 10. */
  repeats?: number;
  /** Untimed forwards first. Default 2. */
  warmup?: number;
}

export interface LatencyResult {
  medianMs: number;
  minMs: number;
  maxMs: number;
  timesMs: number[];
  batchSize: number;
  seqLen: number;
}

/** A full (no padding) synthetic batch with token ids cycling below `vocabSize`. */
export function syntheticBatch(batchSize: number, seqLen: number, vocabSize = 1000): EncodedBatch {
  const n = batchSize * seqLen;
  const inputIds = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    inputIds[i] = (i * 7919 + 101) % Math.max(1, Math.min(vocabSize, 30000));
  }
  return {
    batchSize,
    seqLen,
    inputIds,
    tokenTypeIds: new Int32Array(n),
    attentionMask: new Int32Array(n).fill(1),
    indices: Array.from({ length: batchSize }, (_, i) => i),
  };
}

export function measureLatency(model: Classifier, options: LatencyOptions = {}): LatencyResult {
  const { batchSize = 32, seqLen = 48, repeats = 10, warmup = 2 } = options;
  const vocab = typeof model.config.vocabSize === "number" ? model.config.vocabSize : 1000;
  const batch = syntheticBatch(batchSize, seqLen, vocab);
  const once = () => {
    const out = model.forward(batch);
    out.logits.dataSync();
    out.logits.dispose();
    for (const h of out.hidden) h.dispose();
    for (const a of out.attentions ?? []) a.dispose();
  };
  for (let i = 0; i < warmup; i++) once();
  const timesMs: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    once();
    timesMs.push(performance.now() - t0);
  }
  const sorted = [...timesMs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const medianMs = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return {
    medianMs,
    minMs: sorted[0],
    maxMs: sorted[sorted.length - 1],
    timesMs,
    batchSize,
    seqLen,
  };
}
