/**
 * Leak-free, sentence-level held-out data for a training split whose rows include the sub-phrases
 * of its sentences (GLUE SST-2 train: every parse-tree phrase of every training sentence is a
 * row, so 42.5% of its rows have 5 words or fewer, and a random held-out sample of rows mostly
 * holds phrases of training sentences).
 *
 * `sentenceHeldOut(rows, { size, seed, minWords })`:
 * 1. complete sentences: the rows (deduplicated by text) not contained, as a contiguous run of
 *    words, in any other row, with at least `minWords` words (default 8);
 * 2. held out: a seeded, label-stratified sample of `size` of them (lib/data `sampleSubset`);
 * 3. training pool: every other row, minus each row contained in a held-out sentence (its
 *    phrases), minus duplicates of held-out texts.
 * So no held-out sentence occurs inside any training row, and no training row occurs inside a
 * held-out sentence. `containedIn` measures the leakage of any split (share of its validation
 * rows found inside a training row). Words are whitespace-separated tokens (SST-2's rows are
 * tokenised and lower-cased already).
 */
import { type Labelled, sampleSubset } from "./splits.ts";

export interface SentenceHeldOutOptions {
  /** Held-out sentences. */
  size: number;
  seed: number;
  /** Shortest complete sentence kept, in words. Default 8. */
  minWords?: number;
}

export interface SentenceHeldOut<T> {
  /** Training rows with no overlap with `validation` (phrases of held-out sentences removed). */
  train: T[];
  /** Held-out complete sentences, in input order. */
  validation: T[];
  /** What was done, for run records and docs. */
  stats: {
    rows: number;
    distinctRows: number;
    completeSentences: number;
    heldOut: number;
    removedFromTrain: number;
    train: number;
  };
}

const wordsOf = (text: string) => text.trim().split(/\s+/).filter(Boolean);
const key = (words: readonly string[]) => words.join(" ");

/** Every contiguous run of `words` with between `min` and `max` words, as space-joined text. */
function runs(words: readonly string[], min: number, max: number, into: Set<string>): void {
  for (let len = Math.max(1, min); len <= Math.min(max, words.length); len++) {
    for (let i = 0; i + len <= words.length; i++) into.add(key(words.slice(i, i + len)));
  }
}

/** The complete sentences of `rows`: not a contiguous part of another (longer) row. */
export function completeSentences<T extends { text: string }>(
  rows: readonly T[],
  options: { minWords?: number } = {},
): T[] {
  const minWords = options.minWords ?? 8;
  const seen = new Set<string>();
  const distinct: { row: T; words: string[]; text: string }[] = [];
  for (const row of rows) {
    const words = wordsOf(row.text);
    const text = key(words);
    if (seen.has(text)) continue;
    seen.add(text);
    distinct.push({ row, words, text });
  }
  // proper runs (shorter than their row) of at least minWords words of every row
  const inner = new Set<string>();
  for (const d of distinct) runs(d.words, minWords, d.words.length - 1, inner);
  return distinct.filter((d) => d.words.length >= minWords && !inner.has(d.text)).map((d) => d.row);
}

/** Splits `rows` into a sentence-level held-out set and a training pool that does not leak it. */
export function sentenceHeldOut<T extends Labelled & { text: string }>(
  rows: readonly T[],
  options: SentenceHeldOutOptions,
): SentenceHeldOut<T> {
  const sentences = completeSentences(rows, { minWords: options.minWords });
  if (!Number.isInteger(options.size) || options.size < 1 || options.size > sentences.length) {
    throw new RangeError(
      `sentenceHeldOut: size must be an integer in [1, ${sentences.length}] (the complete ` +
        `sentences of at least ${options.minWords ?? 8} words), got ${options.size}`,
    );
  }
  const validation = sampleSubset(sentences, options.size, { seed: options.seed });
  const inside = new Set<string>();
  for (const v of validation) {
    const w = wordsOf(v.text);
    runs(w, 1, w.length, inside);
  }
  const held = new Set(validation);
  const train: T[] = [];
  let removed = 0;
  for (const r of rows) {
    if (held.has(r)) continue;
    if (inside.has(key(wordsOf(r.text)))) removed++;
    else train.push(r);
  }
  return {
    train,
    validation,
    stats: {
      rows: rows.length,
      distinctRows: new Set(rows.map((r) => key(wordsOf(r.text)))).size,
      completeSentences: sentences.length,
      heldOut: validation.length,
      removedFromTrain: removed,
      train: train.length,
    },
  };
}

/**
 * The share of `validation` rows that occur, as a contiguous run of words, inside some `train`
 * row (0 = no leakage), with the count.
 */
export function containedIn<T extends { text: string }>(
  validation: readonly T[],
  train: readonly T[],
): { contained: number; total: number; share: number } {
  const want = new Set(validation.map((v) => key(wordsOf(v.text))));
  const maxLen = Math.max(0, ...validation.map((v) => wordsOf(v.text).length));
  const found = new Set<string>();
  for (const t of train) {
    const w = wordsOf(t.text);
    for (let len = 1; len <= Math.min(maxLen, w.length); len++) {
      for (let i = 0; i + len <= w.length; i++) {
        const k = key(w.slice(i, i + len));
        if (want.has(k)) found.add(k);
      }
    }
  }
  const contained = validation.filter((v) => found.has(key(wordsOf(v.text)))).length;
  return {
    contained,
    total: validation.length,
    share: validation.length ? contained / validation.length : 0,
  };
}
