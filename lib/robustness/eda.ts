/**
 * EDA, "easy data augmentation" (Wei and Zou 2019), the heuristic baseline of L2A (issue 18):
 * four label-keeping word operations on a whitespace-tokenised, lower-cased sentence:
 * - synonym replacement (SR): n words that are not stopwords replaced by a random WordNet
 *   synonym (single words only; the word itself excluded);
 * - random insertion (RI): n times, a random synonym of a random non-stopword inserted at a
 *   random position;
 * - random swap (RS): n times, two random positions swapped;
 * - random deletion (RD): each word deleted with probability p (at least one word kept).
 * n = max(1, round(alpha * words)). As the paper's reference code: every augmented sentence uses
 * one operation, the `perSentence` augmentations are spread over the four (`ceil(k / 4)` each,
 * then shuffled and cut to k), punctuation other than apostrophes is dropped before augmenting,
 * and the stopword list is NLTK's. Seeded: the same (sentence, seed) gives the same output. The
 * label is never looked at and is copied as it is.
 */
import { Prng } from "../random/mod.ts";
import { textSeed } from "./_text_seed.ts";
import { NLTK_ENGLISH_STOPWORDS } from "./constraints/_stopwords.ts";
import { sharedWordNet, type WordNet } from "./transformations/_wordnet.ts";

export type EdaOperation = "sr" | "ri" | "rs" | "rd";
export const EDA_OPERATIONS: readonly EdaOperation[] = ["sr", "ri", "rs", "rd"];

export interface EdaOptions {
  /** Fraction of words changed by SR, RI, RS; and RD's deletion probability. Default 0.1. */
  alpha?: number;
  /** Augmented sentences per input (the paper: 16 for small data, 4 for large). Default 4. */
  perSentence?: number;
  seed: number;
  /** Default the shared WordNet. */
  wordnet?: WordNet;
}

export function edaWords(text: string): string[] {
  return text.toLowerCase().replace(/[^a-z0-9' ]+/g, " ").split(/\s+/).filter(Boolean);
}

function synonymsOf(wordnet: WordNet, word: string): string[] {
  const out = new Set<string>();
  for (const synset of wordnet.synsets(word)) {
    for (const w of synset) if (!w.includes("_") && w !== word) out.add(w.toLowerCase());
  }
  return [...out].sort();
}

/** One EDA operation applied to `words` (a new array; the input is not changed). */
export function edaOperation(
  op: EdaOperation,
  words: readonly string[],
  alpha: number,
  prng: Prng,
  wordnet: WordNet = sharedWordNet(),
): string[] {
  const out = [...words];
  const n = Math.max(1, Math.round(alpha * words.length));
  const candidates = () =>
    out.map((w, i) => [w, i] as const).filter(([w]) => !NLTK_ENGLISH_STOPWORDS.has(w));
  if (op === "sr") {
    const pool = candidates();
    prng.shuffle(pool);
    let replaced = 0;
    for (const [w, i] of pool) {
      if (replaced >= n) break;
      const syn = synonymsOf(wordnet, w);
      if (syn.length === 0) continue;
      out[i] = syn[prng.int(syn.length)];
      replaced++;
    }
  } else if (op === "ri") {
    for (let k = 0; k < n; k++) {
      const pool = candidates();
      for (let tries = 0; tries < 10 && pool.length > 0; tries++) {
        const syn = synonymsOf(wordnet, pool[prng.int(pool.length)][0]);
        if (syn.length === 0) continue;
        out.splice(prng.int(out.length + 1), 0, syn[prng.int(syn.length)]);
        break;
      }
    }
  } else if (op === "rs") {
    for (let k = 0; k < n && out.length >= 2; k++) {
      const i = prng.int(out.length);
      let j = prng.int(out.length);
      for (let tries = 0; j === i && tries < 3; tries++) j = prng.int(out.length);
      [out[i], out[j]] = [out[j], out[i]];
    }
  } else {
    if (out.length <= 1) return out;
    const kept = out.filter(() => prng.next() >= alpha);
    return kept.length > 0 ? kept : [out[prng.int(out.length)]];
  }
  return out;
}

/** `perSentence` EDA variants of `text` (each from one operation), seeded by (seed, text). */
export function eda<E extends { text: string }>(example: E, options: EdaOptions): E[] {
  const alpha = options.alpha ?? 0.1, k = options.perSentence ?? 4;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`eda: alpha must be in (0, 1), got ${alpha}`);
  if (!Number.isInteger(k) || k < 1) {
    throw new RangeError(`eda: perSentence must be >= 1, got ${k}`);
  }
  const words = edaWords(example.text);
  if (words.length === 0) return [];
  const prng = Prng.fromSeed(textSeed(options.seed, example.text));
  const each = Math.ceil(k / 4);
  const made: string[] = [];
  for (const op of EDA_OPERATIONS) {
    for (let i = 0; i < each; i++) {
      made.push(edaOperation(op, words, alpha, prng, options.wordnet).join(" "));
    }
  }
  prng.shuffle(made);
  return made.slice(0, k).map((text) => ({ ...example, text }));
}
