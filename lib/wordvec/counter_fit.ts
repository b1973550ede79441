/**
 * Counter-fitting (Mrkšić, Ó Séaghdha, Thomson, Gašić, Rojas-Barahona, Su, Vandyke, Wen and
 * Young 2016, "Counter-fitting Word Vectors to Linguistic Constraints", NAACL). With cosine
 * distance d(u, v) = 1 - cos(u, v), τ(x) = max(0, x), the cost over the new vectors V' is
 *
 *   C(V') = k1 · AR(V') + k2 · SA(V') + k3 · VSP(V, V')
 *   AR  = Σ_{(u,w) ∈ antonyms} τ(δ - d(v'_u, v'_w))          antonym repel, δ = 1.0
 *   SA  = Σ_{(u,w) ∈ synonyms} τ(d(v'_u, v'_w) - γ)          synonym attract, γ = 0
 *   VSP = Σ_i Σ_{j ∈ N(i)} τ(d(v'_i, v'_j) - d(v_i, v_j))     vector space preservation
 *
 * where N(i) holds the words within distance ρ = 0.2 of word i in the original space, and
 * k1 = k2 = k3 = 0.1 (the paper's values).
 *
 * The optimiser follows the reference implementation (nmrksic/counter-fitting,
 * counterfitting.py): vectors are unit-normalised first; each of the `epochs` (paper: 20) steps
 * is one pass over all pairs (both orders of each pair) with the distances of the step's start,
 * where every active hinge adds k times the distance gradient on the unit sphere,
 * ∂d/∂u = u (u·v) - v, with the sign that lowers the cost; a word's summed update is divided by
 * the number of terms that touched it, and all vectors are renormalised after the step. One
 * deviation: the reference records only one order of each VSP pair (a typo stores (j, j)); here
 * both words of a VSP pair are held in place, as the formula says. Pairs that are training
 * antonyms are not VSP pairs. No randomness: the result is a function of the inputs.
 */
import type { PairList } from "./constraints.ts";

export interface CounterFitOptions {
  /** Antonym margin in cosine distance (default 1.0). */
  delta?: number;
  /** Synonym margin (default 0). */
  gamma?: number;
  /** Neighbourhood radius of vector space preservation (default 0.2). */
  rho?: number;
  /** Weights of AR, SA, VSP (default 0.1 each). */
  k1?: number;
  k2?: number;
  k3?: number;
  /** Full passes (default 20). */
  epochs?: number;
  /** Precomputed VSP pairs of the unit vectors (default: computed here with `rho`). */
  vsp?: VspPairs;
  onEpoch?: (info: CounterFitEpoch) => void;
}

export interface CounterFitEpoch {
  epoch: number;
  /** AR, SA and VSP (unweighted hinge sums over unordered pairs) at the step's start. */
  antonymCost: number;
  synonymCost: number;
  vspCost: number;
  seconds: number;
}

/** VSP pairs: unordered `(a[p], b[p])` with their original cosine distance. */
export interface VspPairs {
  a: Int32Array;
  b: Int32Array;
  distance: Float32Array;
}

export interface CounterFitResult {
  /** [vocab, dim] unit-length counter-fitted vectors. */
  vectors: Float32Array;
  vspPairs: number;
  history: CounterFitEpoch[];
  seconds: number;
}

/** Rows scaled to unit length (zero rows stay zero). */
export function normaliseRows(vectors: Float32Array, dim: number): Float32Array {
  const out = new Float32Array(vectors.length);
  for (let off = 0; off < vectors.length; off += dim) {
    let n = 0;
    for (let j = 0; j < dim; j++) n += vectors[off + j] * vectors[off + j];
    const s = n > 0 ? 1 / Math.sqrt(n) : 0;
    for (let j = 0; j < dim; j++) out[off + j] = vectors[off + j] * s;
  }
  return out;
}

function dotRows(m: Float32Array, a: number, b: number, dim: number): number {
  let f0 = 0, f1 = 0, f2 = 0, f3 = 0;
  let j = 0;
  for (; j + 3 < dim; j += 4) {
    f0 += m[a + j] * m[b + j];
    f1 += m[a + j + 1] * m[b + j + 1];
    f2 += m[a + j + 2] * m[b + j + 2];
    f3 += m[a + j + 3] * m[b + j + 3];
  }
  let f = (f0 + f1) + (f2 + f3);
  for (; j < dim; j++) f += m[a + j] * m[b + j];
  return f;
}

/** Row-major `[rows, dim]` vectors. */
export interface RowMatrix {
  vectors: Float32Array;
  dim: number;
}

/**
 * All unordered pairs of rows of a unit matrix within cosine distance `rho` (default 0.2),
 * except those in `exclude` (brute force, O(rows² · dim); rows in blocks so a block stays in
 * cache).
 */
export function vspPairs(
  matrix: RowMatrix,
  options: { rho?: number; exclude?: PairList } = {},
): VspPairs {
  const { vectors: unit, dim } = matrix;
  const { rho = 0.2, exclude } = options;
  const v = unit.length / dim;
  const skip = new Set<number>();
  if (exclude) {
    for (let p = 0; p < exclude.length; p += 2) skip.add(exclude[p] * v + exclude[p + 1]);
  }
  const a: number[] = [], b: number[] = [], dist: number[] = [];
  const minDot = 1 - rho;
  const BLOCK = 32;
  for (let i0 = 0; i0 < v; i0 += BLOCK) {
    const i1 = Math.min(v, i0 + BLOCK);
    for (let j = i0 + 1; j < v; j++) {
      const bj = j * dim;
      for (let i = i0; i < i1 && i < j; i++) {
        const d = dotRows(unit, i * dim, bj, dim);
        if (d >= minDot && !skip.has(i * v + j)) {
          a.push(i);
          b.push(j);
          dist.push(1 - d);
        }
      }
    }
  }
  // Sort by (a, b) so the list does not depend on the blocking.
  const order = a.map((_, p) => p).sort((x, y) => a[x] - a[y] || b[x] - b[y]);
  return {
    a: Int32Array.from(order, (p) => a[p]),
    b: Int32Array.from(order, (p) => b[p]),
    distance: Float32Array.from(order, (p) => dist[p]),
  };
}

function checkPairs(name: string, pairs: PairList, v: number): void {
  if (pairs.length % 2 !== 0) throw new RangeError(`counterFit: ${name} has an odd length`);
  for (const id of pairs) {
    if (!(id >= 0 && id < v)) {
      throw new RangeError(`counterFit: ${name} holds id ${id}, outside the vocabulary of ${v}`);
    }
  }
}

/** Counter-fits `[vocab, dim]` vectors to the pairs (see the file comment). */
export function counterFit(
  matrix: RowMatrix,
  constraints: { synonyms: PairList; antonyms: PairList },
  options: CounterFitOptions = {},
): CounterFitResult {
  const { vectors, dim } = matrix;
  const {
    delta = 1.0,
    gamma = 0.0,
    rho = 0.2,
    k1 = 0.1,
    k2 = 0.1,
    k3 = 0.1,
    epochs = 20,
    onEpoch,
  } = options;
  if (!Number.isInteger(dim) || dim < 1 || vectors.length % dim !== 0) {
    throw new RangeError(`counterFit: ${vectors.length} values do not split into rows of ${dim}`);
  }
  if (!Number.isInteger(epochs) || epochs < 0) {
    throw new RangeError(`counterFit: epochs must be an integer >= 0, got ${epochs}`);
  }
  const v = vectors.length / dim;
  const { synonyms, antonyms } = constraints;
  checkPairs("synonyms", synonyms, v);
  checkPairs("antonyms", antonyms, v);
  const t0 = performance.now();
  const w = normaliseRows(vectors, dim);
  const vsp = options.vsp ??
    (k3 > 0 ? vspPairs({ vectors: w, dim }, { rho, exclude: antonyms }) : undefined);
  const grad = new Float64Array(v * dim);
  const count = new Int32Array(v);
  const history: CounterFitEpoch[] = [];

  // grad[u] += scale * (u (u·v) - v), the gradient of d(u, v) on the unit sphere.
  const push = (u: number, x: number, dot: number, scale: number) => {
    const ou = u * dim, ox = x * dim;
    for (let j = 0; j < dim; j++) grad[ou + j] += scale * (w[ou + j] * dot - w[ox + j]);
    count[u]++;
  };

  for (let epoch = 1; epoch <= epochs; epoch++) {
    grad.fill(0);
    count.fill(0);
    let ar = 0, sa = 0, vc = 0;
    for (let p = 0; p < antonyms.length; p += 2) {
      const i = antonyms[p], j = antonyms[p + 1];
      const dot = dotRows(w, i * dim, j * dim, dim);
      const d = 1 - dot;
      if (d < delta) {
        ar += delta - d;
        push(i, j, dot, k1); // away from each other: +∂d
        push(j, i, dot, k1);
      }
    }
    for (let p = 0; p < synonyms.length; p += 2) {
      const i = synonyms[p], j = synonyms[p + 1];
      const dot = dotRows(w, i * dim, j * dim, dim);
      const d = 1 - dot;
      if (d > gamma) {
        sa += d - gamma;
        push(i, j, dot, -k2); // towards each other: -∂d
        push(j, i, dot, -k2);
      }
    }
    if (vsp && k3 > 0) {
      for (let p = 0; p < vsp.a.length; p++) {
        const i = vsp.a[p], j = vsp.b[p];
        const dot = dotRows(w, i * dim, j * dim, dim);
        const d = 1 - dot;
        if (d > vsp.distance[p]) {
          vc += d - vsp.distance[p];
          push(i, j, dot, -k3);
          push(j, i, dot, -k3);
        }
      }
    }
    for (let u = 0; u < v; u++) {
      const c = count[u];
      if (c === 0) continue;
      const o = u * dim;
      for (let j = 0; j < dim; j++) w[o + j] += grad[o + j] / c;
    }
    w.set(normaliseRows(w, dim));
    const info = {
      epoch,
      antonymCost: ar,
      synonymCost: sa,
      vspCost: vc,
      seconds: (performance.now() - t0) / 1000,
    };
    history.push(info);
    onEpoch?.(info);
  }
  return {
    vectors: w,
    vspPairs: vsp ? vsp.a.length : 0,
    history,
    seconds: (performance.now() - t0) / 1000,
  };
}
