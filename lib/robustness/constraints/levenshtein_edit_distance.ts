import type { AttackedText } from "../attacked_text.ts";
import type { Constraint } from "../constraint.ts";

/** Character edit distance (insert, delete, substitute) between two strings. */
export function levenshtein(a: string, b: string): number {
  const x = [...a], y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[y.length];
}

/**
 * The whole text may differ by at most `maxEditDistance` characters
 * (TextAttack's `LevenshteinEditDistance`).
 */
export class LevenshteinEditDistance implements Constraint {
  readonly stage = "post" as const;
  readonly name = "LevenshteinEditDistance";
  readonly compareAgainstOriginal: boolean;
  readonly maxEditDistance: number;

  constructor(maxEditDistance: number, options: { compareAgainstOriginal?: boolean } = {}) {
    if (!Number.isInteger(maxEditDistance) || maxEditDistance < 0) {
      throw new RangeError(
        "LevenshteinEditDistance: maxEditDistance must be a non-negative integer, " +
          `got ${maxEditDistance}`,
      );
    }
    this.maxEditDistance = maxEditDistance;
    this.compareAgainstOriginal = options.compareAgainstOriginal ?? true;
  }

  checkMany(texts: AttackedText[], reference: AttackedText): AttackedText[] {
    return texts.filter((t) => levenshtein(reference.text, t.text) <= this.maxEditDistance);
  }
}
