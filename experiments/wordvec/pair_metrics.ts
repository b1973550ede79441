/**
 * Scores of a word embedding on labelled word pairs: the mean cosine of a pair kind, the share of
 * pairs at or above a cosine threshold (TextFooler's `WordEmbeddingDistance` keeps a swap at
 * cosine >= 0.5), and the ROC AUC of cosine as a score separating two kinds (Mann-Whitney U / mn,
 * ties counted one half): 1 = every synonym pair above every antonym pair, 0.5 = chance.
 */

/** Any embedding with a cosine between two words (undefined when one is unknown). */
export interface Similarity {
  similarity(a: string, b: string): number | undefined;
}

export interface PairScores {
  /** Pairs with both words known to the embedding, of all pairs given. */
  covered: number;
  total: number;
  mean: number;
  median: number;
  /** Share of covered pairs with cosine >= the threshold. */
  shareAtLeast: number;
  cosines: number[];
}

/** Cosines of the pairs the embedding covers. */
export function scorePairs(
  emb: Similarity,
  pairs: readonly (readonly [string, string])[],
  threshold = 0.5,
): PairScores {
  const cosines: number[] = [];
  for (const [a, b] of pairs) {
    const c = emb.similarity(a, b);
    if (c !== undefined && Number.isFinite(c)) cosines.push(c);
  }
  const sorted = [...cosines].sort((x, y) => x - y);
  const n = cosines.length;
  return {
    covered: n,
    total: pairs.length,
    mean: n ? cosines.reduce((s, x) => s + x, 0) / n : NaN,
    median: n ? (n % 2 ? sorted[n >> 1] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2) : NaN,
    shareAtLeast: n ? cosines.filter((c) => c >= threshold).length / n : NaN,
    cosines,
  };
}

/** ROC AUC of `positive` scores above `negative` ones (NaN when either is empty). */
export function rocAuc(positive: readonly number[], negative: readonly number[]): number {
  const m = positive.length, n = negative.length;
  if (m === 0 || n === 0) return NaN;
  const all = [
    ...positive.map((s) => ({ s, pos: true })),
    ...negative.map((s) => ({ s, pos: false })),
  ].sort((a, b) => a.s - b.s);
  // Sum of the positives' average ranks (1-based), ties sharing their mean rank.
  let rankSum = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j + 1 < all.length && all[j + 1].s === all[i].s) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (all[k].pos) rankSum += rank;
    i = j + 1;
  }
  return (rankSum - (m * (m + 1)) / 2) / (m * n);
}
