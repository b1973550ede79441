import type { AttackedText } from "../attacked_text.ts";
import type { Constraint } from "../constraint.ts";

/**
 * At most `maxNumWords` words, and/or at most `ceil(maxPercent * min(len))` words, may differ
 * from the original (TextAttack's `MaxWordsPerturbed`; `maxPercent` is a fraction in [0, 1] as
 * in TextAttack, e.g. 0.2 for 20%). Words are compared position by position (`allWordsDiff`).
 */
export class MaxWordsPerturbed implements Constraint {
  readonly stage = "post" as const;
  readonly name = "MaxWordsPerturbed";
  readonly compareAgainstOriginal: boolean;
  readonly maxNumWords?: number;
  readonly maxPercent?: number;

  constructor(
    options: { maxNumWords?: number; maxPercent?: number; compareAgainstOriginal?: boolean },
  ) {
    const { maxNumWords, maxPercent, compareAgainstOriginal = true } = options;
    if (maxNumWords === undefined && maxPercent === undefined) {
      throw new TypeError("MaxWordsPerturbed needs maxNumWords or maxPercent");
    }
    if (maxPercent !== undefined && !(maxPercent >= 0 && maxPercent <= 1)) {
      throw new RangeError(
        `MaxWordsPerturbed: maxPercent is a fraction in [0, 1], got ${maxPercent}`,
      );
    }
    if (maxNumWords !== undefined && !(Number.isInteger(maxNumWords) && maxNumWords >= 0)) {
      throw new RangeError(
        `MaxWordsPerturbed: maxNumWords must be a non-negative integer, got ${maxNumWords}`,
      );
    }
    this.maxNumWords = maxNumWords;
    this.maxPercent = maxPercent;
    this.compareAgainstOriginal = compareAgainstOriginal;
  }

  checkMany(texts: AttackedText[], reference: AttackedText): AttackedText[] {
    return texts.filter((t) => {
      const diff = t.allWordsDiff(reference).size;
      if (this.maxPercent !== undefined) {
        const limit = Math.ceil(Math.min(t.numWords, reference.numWords) * this.maxPercent);
        if (diff > limit) return false;
      }
      return this.maxNumWords === undefined || diff <= this.maxNumWords;
    });
  }
}
