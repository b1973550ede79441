import type { AttackedText } from "../attacked_text.ts";
import { type Constraint, WORD_SWAPS_ONLY } from "../constraint.ts";
import { tagWords, tagWordsWithForms } from "./_pos_tagger.ts";

/**
 * A swapped word must keep the part of speech of the word it replaced, both tagged in the
 * context of up to 4 words either side of the original text (TextAttack's `PartOfSpeech` with
 * the universal tagset). Tagger: wink-nlp (see `_pos_tagger.ts`), not NLTK's perceptron tagger.
 * With `verbForm` (ours; default off, as TextAttack), a verb must also keep its inflection
 * (base / -ing / -s / -ed, `tagWordsWithForms`), which the universal tagset alone does not see:
 * "often affecting journey" -> "often dissemble journey" is VERB -> VERB but -ing -> base.
 * A noun-verb swap (when allowed) is judged on the tag only.
 */
export class PartOfSpeech implements Constraint {
  readonly stage = "post" as const;
  readonly name = "PartOfSpeech";
  readonly supportedKinds = WORD_SWAPS_ONLY;
  readonly compareAgainstOriginal: boolean;
  readonly allowVerbNounSwap: boolean;
  readonly verbForm: boolean;
  readonly #tag: (words: readonly string[]) => string[];

  constructor(
    options: {
      allowVerbNounSwap?: boolean;
      compareAgainstOriginal?: boolean;
      /** Verbs must keep their inflection too (tags like `VERB:ing`); default false. */
      verbForm?: boolean;
      /** Tagger override (tests, other taggers): universal tags, one per word. */
      tagger?: (words: readonly string[]) => string[];
    } = {},
  ) {
    this.allowVerbNounSwap = options.allowVerbNounSwap ?? true;
    this.compareAgainstOriginal = options.compareAgainstOriginal ?? true;
    this.verbForm = options.verbForm ?? false;
    this.#tag = options.tagger ?? (this.verbForm ? tagWordsWithForms : tagWords);
  }

  /** Tag of `word` placed at position `i` among the reference text's neighbouring words. */
  posAt(reference: AttackedText, i: number, word: string): string {
    const before = reference.words.slice(Math.max(i - 4, 0), i);
    const after = reference.words.slice(i + 1, Math.min(i + 4, reference.numWords));
    return this.#tag([...before, word, ...after])[before.length];
  }

  canReplace(a: string, b: string): boolean {
    if (a === b) return true;
    a = a.split(":")[0], b = b.split(":")[0];
    if (a === "VERB" && b === "VERB") return false; // same tag, another inflection
    return a === b ||
      (this.allowVerbNounSwap && (a === "NOUN" || a === "VERB") && (b === "NOUN" || b === "VERB"));
  }

  checkMany(texts: AttackedText[], reference: AttackedText): AttackedText[] {
    return texts.filter((t) => {
      for (const i of t.attrs.newlyModifiedIndices) {
        if (i >= reference.numWords || i >= t.numWords) return false;
        const a = this.posAt(reference, i, reference.words[i]);
        const b = this.posAt(reference, i, t.words[i]);
        if (!this.canReplace(a, b)) return false;
      }
      return true;
    });
  }
}
