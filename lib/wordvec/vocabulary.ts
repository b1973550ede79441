/**
 * The vocabulary of the word vectors and the corpus as word ids: words with at least `minCount`
 * occurrences, plus any word `keep` accepts that occurs at least `minKeptCount` times (the
 * words of the synonym and antonym pairs, so that counter-fitting can reach them). Ordered by
 * count, most frequent first, ties by code-unit order, so one corpus gives one vocabulary.
 */

export interface Vocabulary {
  readonly words: readonly string[];
  /** Corpus occurrences of each word, by id. */
  readonly counts: Int32Array;
  readonly index: ReadonlyMap<string, number>;
}

export interface VocabularyOptions {
  /** Occurrences a word needs (default 5). */
  minCount?: number;
  /** Words kept at a lower count (default none). */
  keep?: (word: string) => boolean;
  /** Occurrences a `keep` word needs (default 1). */
  minKeptCount?: number;
}

/** Counts the words of `sequences` and keeps those the options allow. */
export function buildVocabulary(
  sequences: readonly (readonly string[])[],
  options: VocabularyOptions = {},
): Vocabulary {
  const { minCount = 5, keep, minKeptCount = 1 } = options;
  for (const [name, v] of [["minCount", minCount], ["minKeptCount", minKeptCount]] as const) {
    if (!Number.isInteger(v) || v < 1) {
      throw new RangeError(`buildVocabulary: ${name} must be an integer >= 1, got ${v}`);
    }
  }
  const counts = new Map<string, number>();
  for (const s of sequences) for (const w of s) counts.set(w, (counts.get(w) ?? 0) + 1);
  const kept = [...counts].filter(([w, c]) =>
    c >= minCount || (keep !== undefined && c >= minKeptCount && keep(w))
  );
  kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return vocabularyOf(kept.map(([w]) => w), Int32Array.from(kept, ([, c]) => c));
}

/** A vocabulary from its words and counts (e.g. read back from words.txt). */
export function vocabularyOf(words: readonly string[], counts: Int32Array): Vocabulary {
  if (words.length !== counts.length) {
    throw new RangeError(`vocabularyOf: ${words.length} words but ${counts.length} counts`);
  }
  const index = new Map<string, number>();
  words.forEach((w, i) => {
    if (index.has(w)) throw new RangeError(`vocabularyOf: word ${JSON.stringify(w)} twice`);
    index.set(w, i);
  });
  return { words, counts, index };
}

/** The corpus as word ids: sequence `s` is `ids[offsets[s] .. offsets[s + 1])`. */
export interface EncodedCorpus {
  ids: Int32Array;
  /** Sequence starts, length = sequences + 1. */
  offsets: Int32Array;
}

/** Maps words to ids, dropping words outside the vocabulary (as word2vec does). */
export function encodeCorpus(
  sequences: readonly (readonly string[])[],
  vocab: Vocabulary,
): EncodedCorpus {
  const ids: number[] = [];
  const offsets: number[] = [0];
  for (const s of sequences) {
    for (const w of s) {
      const id = vocab.index.get(w);
      if (id !== undefined) ids.push(id);
    }
    if (ids.length !== offsets[offsets.length - 1]) offsets.push(ids.length);
  }
  return { ids: Int32Array.from(ids), offsets: Int32Array.from(offsets) };
}
