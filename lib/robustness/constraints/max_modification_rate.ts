import type { AttackedText } from "../attacked_text.ts";
import type { PreTransformationConstraint } from "../constraint.ts";

/**
 * Stops edits once `max(ceil(numWords * maxRate), minThreshold)` words are modified
 * (TextAttack's `MaxModificationRate`).
 */
export class MaxModificationRate implements PreTransformationConstraint {
  readonly stage = "pre" as const;
  readonly name = "MaxModificationRate";
  readonly maxRate: number;
  readonly minThreshold: number;

  /** @param maxRate fraction of words in (0, 1]; `minThreshold` default 1. */
  constructor(maxRate: number, options: { minThreshold?: number } = {}) {
    if (!(maxRate > 0 && maxRate <= 1)) {
      throw new RangeError(`MaxModificationRate: maxRate must be in (0, 1], got ${maxRate}`);
    }
    const { minThreshold = 1 } = options;
    if (!Number.isInteger(minThreshold) || minThreshold < 0) {
      throw new RangeError(
        `MaxModificationRate: minThreshold must be a non-negative integer, got ${minThreshold}`,
      );
    }
    this.maxRate = maxRate;
    this.minThreshold = minThreshold;
  }

  modifiableIndices(text: AttackedText): Set<number> {
    const limit = Math.max(Math.ceil(text.numWords * this.maxRate), this.minThreshold);
    if (text.attrs.modifiedIndices.size >= limit) return new Set();
    return new Set(text.words.map((_, i) => i));
  }
}
