import type { AttackedText } from "../attacked_text.ts";
import { type Constraint, WORD_SWAPS_ONLY } from "../constraint.ts";
import { cosine, type WordEmbedding } from "../embedding.ts";

export interface WordEmbeddingDistanceOptions {
  /** Minimum cosine between the original word and its replacement. */
  minCosSim?: number;
  /** Maximum mean squared difference of the two vectors. */
  maxMseDist?: number;
  /** Accept swaps where either word has no vector; default true (TextAttack's default). */
  includeUnknownWords?: boolean;
  /** Default true. */
  compareAgainstOriginal?: boolean;
}

/**
 * Each swapped word must stay close to the word it replaced in an embedding space
 * (TextAttack's `WordEmbeddingDistance`). The embedding is any `WordEmbedding`; TextAttack's
 * default is counter-fitted PARAGRAM vectors, here usually the victim's or teacher's table.
 */
export class WordEmbeddingDistance implements Constraint {
  readonly stage = "post" as const;
  readonly name = "WordEmbeddingDistance";
  readonly supportedKinds = WORD_SWAPS_ONLY;
  readonly compareAgainstOriginal: boolean;
  readonly embedding: WordEmbedding;
  readonly minCosSim?: number;
  readonly maxMseDist?: number;
  readonly includeUnknownWords: boolean;

  constructor(embedding: WordEmbedding, options: WordEmbeddingDistanceOptions = {}) {
    const { minCosSim, maxMseDist, includeUnknownWords = true, compareAgainstOriginal = true } =
      options;
    if (minCosSim === undefined && maxMseDist === undefined) {
      throw new TypeError("WordEmbeddingDistance needs minCosSim or maxMseDist");
    }
    this.embedding = embedding;
    this.minCosSim = minCosSim;
    this.maxMseDist = maxMseDist;
    this.includeUnknownWords = includeUnknownWords;
    this.compareAgainstOriginal = compareAgainstOriginal;
  }

  checkMany(texts: AttackedText[], reference: AttackedText): AttackedText[] {
    return texts.filter((t) => this.#check(t, reference));
  }

  #check(t: AttackedText, ref: AttackedText): boolean {
    for (const i of t.attrs.newlyModifiedIndices) {
      if (i >= ref.numWords || i >= t.numWords) return false;
      const a = this.embedding.vector(ref.words[i].toLowerCase());
      const b = this.embedding.vector(t.words[i].toLowerCase());
      if (!a || !b) {
        if (this.includeUnknownWords) continue;
        return false;
      }
      if (this.minCosSim !== undefined && cosine(a, b) < this.minCosSim) return false;
      if (this.maxMseDist !== undefined) {
        let s = 0;
        for (let j = 0; j < a.length; j++) s += (a[j] - b[j]) ** 2;
        if (s / a.length > this.maxMseDist) return false;
      }
    }
    return true;
  }
}
