/**
 * Meta-KD's transferability weights (Pan et al. 2021; the EasyNLP re-implementation, METHODS.md):
 * for an example with representation h (the teacher's mean last-layer token state, [CLS]
 * excluded) in domain d, w = (cos(h, c_d) + cos(h, mean of the other domains' centroids)) / 2,
 * with c_k the mean representation of domain k. High for examples typical of their own domain AND
 * close to the others (transferable), low for outliers. Plain arrays, no tfjs: the caller
 * extracts the representations.
 */

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};
const cosine = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  const n = Math.sqrt(dot(a, a) * dot(b, b));
  return n > 0 ? dot(a, b) / n : 0;
};

export interface Transferability {
  /** One weight per example, in input order. */
  weights: number[];
  /** Centroid per domain (domain index -> vector). */
  centroids: number[][];
  /** cos(c_i, c_j) between domain centroids (the domain similarity matrix). */
  similarity: number[][];
}

/** `vectors[i]` belongs to domain `domains[i]` (0..k-1); needs at least two domains. */
export function transferabilityWeights(
  vectors: readonly ArrayLike<number>[],
  domains: readonly number[],
): Transferability {
  if (vectors.length !== domains.length || vectors.length === 0) {
    throw new RangeError(
      `transferabilityWeights: ${vectors.length} vectors for ${domains.length} domain ids`,
    );
  }
  const dim = vectors[0].length;
  const k = Math.max(...domains) + 1;
  if (k < 2) throw new RangeError("transferabilityWeights: needs examples of at least two domains");
  const sums = Array.from({ length: k }, () => new Array(dim).fill(0));
  const counts = new Array(k).fill(0);
  vectors.forEach((v, i) => {
    const d = domains[i];
    if (!Number.isInteger(d) || d < 0) {
      throw new RangeError(`transferabilityWeights: example ${i} has domain ${d}`);
    }
    if (v.length !== dim) {
      throw new RangeError(
        `transferabilityWeights: vector ${i} has ${v.length} values, not ${dim}`,
      );
    }
    for (let j = 0; j < dim; j++) sums[d][j] += v[j];
    counts[d]++;
  });
  counts.forEach((c, d) => {
    if (c === 0) throw new RangeError(`transferabilityWeights: domain ${d} has no example`);
  });
  const centroids = sums.map((s, d) => s.map((x) => x / counts[d]));
  const others = centroids.map((_, d) => {
    const o = new Array(dim).fill(0);
    centroids.forEach((c, e) => {
      if (e !== d) { for (let j = 0; j < dim; j++) o[j] += c[j] / (k - 1); }
    });
    return o;
  });
  return {
    weights: vectors.map((v, i) =>
      (cosine(v, centroids[domains[i]]) + cosine(v, others[domains[i]])) / 2
    ),
    centroids,
    similarity: centroids.map((a) => centroids.map((b) => cosine(a, b))),
  };
}

/** Meta-KD's confidence factor lambda = 1 / (1 + exp((1 - p_teacher(y))^2)). */
export function teacherConfidenceFactor(pTrue: number): number {
  if (!(pTrue >= 0 && pTrue <= 1)) {
    throw new RangeError(`teacherConfidenceFactor: p must be in [0, 1], got ${pTrue}`);
  }
  return 1 / (1 + Math.exp((1 - pTrue) ** 2));
}
