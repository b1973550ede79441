/**
 * Word embeddings for attacks: any `{ word -> vector }` provider with a nearest-neighbour query.
 * TextFooler used counter-fitted PARAGRAM vectors; here the provider is usually the victim's or
 * the teacher's own input embedding table (`MatrixEmbedding` over its vocabulary).
 */
import { Lru } from "./_lru.ts";

export interface Neighbour {
  word: string;
  /** Cosine similarity to the query word. */
  similarity: number;
}

export interface WordEmbedding {
  readonly dim: number;
  /** The vector of a word, or undefined when the word is not in the vocabulary. */
  vector(word: string): Float32Array | undefined;
  /** Up to `k` nearest words by cosine, most similar first, never the word itself. */
  neighbours(word: string, k: number): Neighbour[];
}

export interface MatrixEmbeddingOptions {
  /** Look words up lower-cased (uncased vocabularies); default true. */
  lowercase?: boolean;
  /**
   * Which vocabulary entries may be returned as neighbours. Default: whole words only (no
   * WordPiece `##` pieces, no `[SPECIAL]` tokens, no entries without a letter).
   */
  isCandidate?: (word: string) => boolean;
  /** Neighbour lists cached; default 20000. */
  cacheSize?: number;
}

const defaultIsCandidate = (w: string) =>
  !w.startsWith("##") && !/^\[.*\]$/.test(w) && /\p{L}/u.test(w);

/** Cosine of two vectors (0 when either is all zeros). */
export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** A `WordEmbedding` over a row-major `[vocab, dim]` matrix, with brute-force cosine kNN. */
export class MatrixEmbedding implements WordEmbedding {
  readonly dim: number;
  readonly vocab: readonly string[];
  readonly #index = new Map<string, number>();
  readonly #matrix: Float32Array; // [vocab, dim]
  readonly #unit: Float32Array; // [vocab, dim], rows scaled to unit length
  readonly #candidates: Int32Array;
  readonly #lowercase: boolean;
  readonly #cache: Lru<string, Neighbour[]>;

  constructor(
    vocab: readonly string[],
    matrix: Float32Array,
    options: MatrixEmbeddingOptions = {},
  ) {
    const { lowercase = true, isCandidate = defaultIsCandidate, cacheSize = 20000 } = options;
    if (vocab.length === 0 || matrix.length % vocab.length !== 0) {
      throw new RangeError(
        `MatrixEmbedding: matrix of ${matrix.length} values ` +
          `does not split into ${vocab.length} rows`,
      );
    }
    this.dim = matrix.length / vocab.length;
    this.vocab = vocab;
    this.#matrix = matrix;
    this.#lowercase = lowercase;
    this.#cache = new Lru(cacheSize);
    const d = this.dim;
    this.#unit = new Float32Array(matrix.length);
    const cands: number[] = [];
    vocab.forEach((w, r) => {
      if (!this.#index.has(w)) this.#index.set(w, r);
      let n = 0;
      for (let j = 0; j < d; j++) n += matrix[r * d + j] ** 2;
      const s = n > 0 ? 1 / Math.sqrt(n) : 0;
      for (let j = 0; j < d; j++) this.#unit[r * d + j] = matrix[r * d + j] * s;
      if (isCandidate(w)) cands.push(r);
    });
    this.#candidates = Int32Array.from(cands);
  }

  #row(word: string): number | undefined {
    return this.#index.get(this.#lowercase ? word.toLowerCase() : word);
  }

  vector(word: string): Float32Array | undefined {
    const r = this.#row(word);
    return r === undefined ? undefined : this.#matrix.subarray(r * this.dim, (r + 1) * this.dim);
  }

  /** Cosine similarity of two words, or undefined when either is unknown. */
  similarity(a: string, b: string): number | undefined {
    const ra = this.#row(a), rb = this.#row(b);
    if (ra === undefined || rb === undefined) return undefined;
    const d = this.dim;
    let dot = 0;
    for (let j = 0; j < d; j++) dot += this.#unit[ra * d + j] * this.#unit[rb * d + j];
    return dot;
  }

  neighbours(word: string, k: number): Neighbour[] {
    const r = this.#row(word);
    if (r === undefined || k <= 0) return [];
    const key = `${k}\u0000${r}`;
    const hit = this.#cache.get(key);
    if (hit) return hit;
    const d = this.dim;
    const q = this.#unit.subarray(r * d, (r + 1) * d);
    const top: Neighbour[] = []; // kept sorted, most similar first
    for (const c of this.#candidates) {
      if (c === r) continue;
      let dot = 0;
      const off = c * d;
      for (let j = 0; j < d; j++) dot += q[j] * this.#unit[off + j];
      if (top.length < k || dot > top[top.length - 1].similarity) {
        let p = top.length;
        while (p > 0 && top[p - 1].similarity < dot) p--;
        top.splice(p, 0, { word: this.vocab[c], similarity: dot });
        if (top.length > k) top.pop();
      }
    }
    this.#cache.set(key, top);
    return top;
  }
}
