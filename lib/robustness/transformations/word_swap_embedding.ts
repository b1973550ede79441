import type { WordEmbedding } from "../embedding.ts";
import { recoverWordCase, WordSwap } from "./word_swap.ts";

/**
 * Swaps a word for its nearest neighbours in an embedding (TextAttack's `WordSwapEmbedding`):
 * up to `maxCandidates` (default 15) neighbours, optionally only those with cosine >= `minCosSim`,
 * case recovered from the original word.
 */
export class WordSwapEmbedding extends WordSwap {
  readonly name = "WordSwapEmbedding";
  readonly embedding: WordEmbedding;
  readonly maxCandidates: number;
  readonly minCosSim: number;

  constructor(
    embedding: WordEmbedding,
    options: { maxCandidates?: number; minCosSim?: number } = {},
  ) {
    super();
    const { maxCandidates = 15, minCosSim = -Infinity } = options;
    if (!Number.isInteger(maxCandidates) || maxCandidates < 1) {
      throw new RangeError(
        `WordSwapEmbedding: maxCandidates must be a positive integer, got ${maxCandidates}`,
      );
    }
    this.embedding = embedding;
    this.maxCandidates = maxCandidates;
    this.minCosSim = minCosSim;
  }

  replacementWords(word: string): string[] {
    return this.embedding.neighbours(word.toLowerCase(), this.maxCandidates)
      .filter((n) => n.similarity >= this.minCosSim)
      .map((n) => recoverWordCase(n.word, word));
  }
}
