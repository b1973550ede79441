/**
 * Stand-in for TextAttack's `UniversalSentenceEncoder` constraint (USE cannot be downloaded
 * here). Same protocol (window of `windowSize` words around the first newly modified word,
 * compared with the same window of the reference; texts shorter than the window skipped; score
 * stored as `attrs.similarityScore`; "angular" = 1 - arccos(cos)/pi or "cosine"), but the
 * sentence vector is the mean of the unit-length word vectors of the window from a
 * `WordEmbedding` (the victim's or teacher's table). A word without a vector gets a fixed
 * pseudo-random unit vector derived from its characters, so typos count as changes.
 *
 * DEVIATION: mean-pooled static vectors are much less sensitive than USE: a one-word swap in a
 * 15-word window usually keeps cosine > 0.9, so TextAttack's thresholds are weaker here than in
 * the papers. Thresholds stay configurable.
 */
import type { AttackedText } from "../attacked_text.ts";
import type { Constraint } from "../constraint.ts";
import type { WordEmbedding } from "../embedding.ts";
import { Lru } from "../_lru.ts";
import { Prng } from "../../random/mod.ts";

export interface WindowSimilarityOptions {
  /** Minimum similarity; default 0.840845057 (TextAttack's textfooler value). */
  threshold?: number;
  /** Default "angular". */
  metric?: "angular" | "cosine";
  /** Words in the window; default 15; Infinity = the whole text. */
  windowSize?: number;
  /** Accept texts shorter than the window without scoring; default true. */
  skipTextShorterThanWindow?: boolean;
  /** Default false (TextFooler compares with the previous text). */
  compareAgainstOriginal?: boolean;
}

function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export class WindowEmbeddingSimilarity implements Constraint {
  readonly stage = "post" as const;
  readonly name = "WindowEmbeddingSimilarity";
  readonly compareAgainstOriginal: boolean;
  readonly threshold: number;
  readonly metric: "angular" | "cosine";
  readonly windowSize: number;
  readonly skipTextShorterThanWindow: boolean;
  readonly embedding: WordEmbedding;
  readonly #unit = new Lru<string, Float32Array>(50000);

  constructor(embedding: WordEmbedding, options: WindowSimilarityOptions = {}) {
    const {
      threshold = 0.840845057,
      metric = "angular",
      windowSize = 15,
      skipTextShorterThanWindow = true,
      compareAgainstOriginal = false,
    } = options;
    if (metric !== "angular" && metric !== "cosine") {
      throw new RangeError(
        `WindowEmbeddingSimilarity: metric must be "angular" or "cosine", got "${metric}"`,
      );
    }
    if (!(windowSize === Infinity || (Number.isInteger(windowSize) && windowSize >= 1))) {
      throw new RangeError(
        "WindowEmbeddingSimilarity: windowSize must be a positive integer or Infinity, " +
          `got ${windowSize}`,
      );
    }
    this.embedding = embedding;
    this.threshold = threshold;
    this.metric = metric;
    this.windowSize = windowSize;
    this.skipTextShorterThanWindow = skipTextShorterThanWindow;
    this.compareAgainstOriginal = compareAgainstOriginal;
  }

  #wordVector(word: string): Float32Array {
    const w = word.toLowerCase();
    let v = this.#unit.get(w);
    if (v) return v;
    const e = this.embedding.vector(w);
    v = new Float32Array(this.embedding.dim);
    if (e) v.set(e);
    else {
      const prng = Prng.fromSeed(hashString(w));
      for (let j = 0; j < v.length; j++) v[j] = prng.normal();
    }
    let n = 0;
    for (const x of v) n += x * x;
    if (n > 0) { for (let j = 0; j < v.length; j++) v[j] /= Math.sqrt(n); }
    this.#unit.set(w, v);
    return v;
  }

  #windowVector(words: readonly string[]): Float32Array {
    const out = new Float32Array(this.embedding.dim);
    for (const w of words) {
      const v = this.#wordVector(w);
      for (let j = 0; j < out.length; j++) out[j] += v[j];
    }
    return out;
  }

  /** Similarity of the windows around word `index` of two texts. */
  score(a: AttackedText, b: AttackedText, index: number): number {
    const va = this.#windowVector(a.wordWindow(Math.min(index, a.numWords - 1), this.windowSize));
    const vb = this.#windowVector(b.wordWindow(Math.min(index, b.numWords - 1), this.windowSize));
    let dot = 0, na = 0, nb = 0;
    for (let j = 0; j < va.length; j++) {
      dot += va[j] * vb[j];
      na += va[j] * va[j];
      nb += vb[j] * vb[j];
    }
    const cos = na === 0 || nb === 0 ? 0 : Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb)));
    return this.metric === "cosine" ? cos : 1 - Math.acos(cos) / Math.PI;
  }

  checkMany(texts: AttackedText[], reference: AttackedText): AttackedText[] {
    return texts.filter((t) => {
      const newly = [...t.attrs.newlyModifiedIndices];
      let s = 1;
      if (newly.length > 0 && reference.numWords > 0 && t.numWords > 0) {
        if (!(this.skipTextShorterThanWindow && t.numWords < this.windowSize)) {
          s = this.score(reference, t, Math.min(...newly));
        }
      }
      t.attrs.similarityScore = s;
      return s >= this.threshold;
    });
  }
}
