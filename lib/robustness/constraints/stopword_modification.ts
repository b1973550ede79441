import type { AttackedText } from "../attacked_text.ts";
import type { PreTransformationConstraint } from "../constraint.ts";
import { consistsOfWordSwaps, type Transformation } from "../transformation.ts";
import { NLTK_ENGLISH_STOPWORDS } from "./_stopwords.ts";

export { NLTK_ENGLISH_STOPWORDS, TEXTFOOLER_STOPWORDS } from "./_stopwords.ts";

/**
 * Stopwords may not be swapped (TextAttack's `StopwordModification`). Default list: NLTK's
 * English stopwords, as in TextAttack. Like TextAttack it only applies to word-swap
 * transformations (others may delete or insert around stopwords).
 * Deviation: words are compared lower-cased (TextAttack compares them as written).
 */
export class StopwordModification implements PreTransformationConstraint {
  readonly stage = "pre" as const;
  readonly name = "StopwordModification";
  readonly stopwords: ReadonlySet<string>;

  constructor(options: { stopwords?: Iterable<string> } = {}) {
    this.stopwords = options.stopwords
      ? new Set([...options.stopwords].map((w) => w.toLowerCase()))
      : NLTK_ENGLISH_STOPWORDS;
  }

  modifiableIndices(text: AttackedText, transformation: Transformation): Set<number> {
    const out = new Set<number>();
    const applies = consistsOfWordSwaps(transformation);
    text.words.forEach((w, i) => {
      if (!applies || !this.stopwords.has(w.toLowerCase())) out.add(i);
    });
    return out;
  }
}
