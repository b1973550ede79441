/**
 * Sentence overlap between data sets, for keeping evaluation sentences out of training pools:
 * SST-2 and MR are both cut from the same Rotten Tomatoes snippets (SST re-parses Pang and Lee's
 * sentences), so an SST-2 training item can be an MR test sentence or a piece of one. Measured
 * (our MR split, SST-2 train of 67,349 phrases): 560 of the 1,066 MR test sentences are an SST-2
 * training item exactly (under `sentenceKey`), and 94 of the other 506 share at least one run of
 * 6 words with one.
 * - `sentenceKey`: lower case, PTB bracket tokens (-lrb-, -rrb-, ...) and every character other
 *   than a-z and 0-9 dropped (so "does n't" = "doesn't", and MR's "(" = SST's "-lrb-").
 * - `OverlapIndex`: the keys and word 6-grams of a set of sentences; `overlaps(text)` is true when
 *   the text equals one of them or shares a 6-gram with one. A text of fewer than 6 words can
 *   only match exactly; pools that must not hold pieces of the indexed sentences keep texts of at
 *   least 6 words.
 */
export const SHINGLE_WORDS = 6;

export function sentenceKey(text: string): string {
  return text.toLowerCase().replace(/-[lr][rcs]b-/g, "").replace(/[^a-z0-9]/g, "");
}

/** The normalised words of a text (as the key, but kept apart). */
export function overlapWords(text: string): string[] {
  return text.toLowerCase().replace(/-[lr][rcs]b-/g, " ").replace(/[^a-z0-9 ]/g, "")
    .split(/\s+/).filter(Boolean);
}

export function shingles(text: string, n = SHINGLE_WORDS): string[] {
  const w = overlapWords(text), out: string[] = [];
  for (let i = 0; i + n <= w.length; i++) out.push(w.slice(i, i + n).join(" "));
  return out;
}

export class OverlapIndex {
  readonly #keys = new Set<string>();
  readonly #shingles = new Set<string>();
  readonly size: number;

  constructor(texts: Iterable<string>) {
    let n = 0;
    for (const t of texts) {
      this.#keys.add(sentenceKey(t));
      for (const s of shingles(t)) this.#shingles.add(s);
      n++;
    }
    this.size = n;
  }

  /** Equal to an indexed sentence under `sentenceKey`. */
  equals(text: string): boolean {
    return this.#keys.has(sentenceKey(text));
  }

  /** Equal to an indexed sentence, or sharing a run of 6 words with one. */
  overlaps(text: string): boolean {
    return this.equals(text) || shingles(text).some((s) => this.#shingles.has(s));
  }
}
