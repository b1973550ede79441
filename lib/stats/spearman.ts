/** Spearman's rank correlation coefficient. */
import { pearson } from "./pearson.ts";
import { ranks } from "./ranks.ts";

/**
 * Spearman's rho: Pearson's r of the ranks, ties given their average rank (so it is exact with
 * ties, unlike 1 - 6Σd²/(n(n²-1)), which only holds without them). Edge behaviour as `pearson`:
 * NaN for fewer than 2 pairs, for a constant variable and for any NaN value; RangeError when
 * the lengths differ.
 */
export function spearman(xs: readonly number[], ys: readonly number[]): number {
  if (xs.length !== ys.length) {
    throw new RangeError(
      `spearman: xs has ${xs.length} values but ys has ${ys.length}; they must pair up`,
    );
  }
  if (xs.some(Number.isNaN) || ys.some(Number.isNaN)) return NaN;
  return pearson(ranks(xs), ranks(ys));
}
