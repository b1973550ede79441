/** Small fixtures shared by this area's tests. */
import type { EncodedBatch } from "../data/mod.ts";

/** A batch from token rows (0-padded on the right to the longest row, or to `seqLen`). */
export function makeBatch(
  rows: number[][],
  options: { seqLen?: number; types?: number[][] } = {},
): EncodedBatch {
  const S = options.seqLen ?? Math.max(...rows.map((r) => r.length));
  const B = rows.length;
  const inputIds = new Int32Array(B * S),
    tokenTypeIds = new Int32Array(B * S),
    attentionMask = new Int32Array(B * S);
  rows.forEach((r, b) =>
    r.forEach((id, p) => {
      inputIds[b * S + p] = id;
      attentionMask[b * S + p] = 1;
      tokenTypeIds[b * S + p] = options.types?.[b][p] ?? 0;
    })
  );
  return {
    batchSize: B,
    seqLen: S,
    inputIds,
    tokenTypeIds,
    attentionMask,
    labels: Int32Array.from(rows, (_, i) => i % 2),
    indices: rows.map((_, i) => i),
  };
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/**
 * The real vocabulary: the project's copy, else the shared data folder
 * (before data/ is filled).
 */
export function realVocabPath(): string {
  const mine = new URL("../../data/vocab/bert-base-uncased-vocab.txt", import.meta.url).pathname;
  try {
    Deno.statSync(mine);
    return mine;
  } catch {
    return "/work/shared/data/vocab/bert-base-uncased-vocab.txt";
  }
}
