/** Two-sided permutation p-value of Spearman's rho. */
import { Prng } from "../random/mod.ts";
import { checkPositive } from "./_check.ts";
import { pearson } from "./pearson.ts";
import { ranks } from "./ranks.ts";

export interface SpearmanPValueOptions {
  /** Number of random permutations. Default 9,999. */
  permutations?: number;
  /** Seed of the Prng that shuffles. Default 0. Ignored when `prng` is given. */
  seed?: number;
  /** Generator to draw the permutations from (advanced in place). Default `Prng.fromSeed(seed)`. */
  prng?: Prng;
}

/**
 * Two-sided permutation p-value of Spearman's rho: the ranks of `ys` are shuffled
 * `permutations` times and p = (1 + #{|rho_perm| >= |rho|}) / (1 + permutations)
 * (Phipson & Smyth 2010, "Permutation p-values should never be zero": the observed ordering
 * counts as one of the permutations, so p >= 1/(1 + permutations)). A 1e-12 slack counts
 * permutations whose |rho| equals the observed one up to rounding.
 *
 * Chosen over the t-approximation for small n with many ties (the architecture statistics are
 * tens of candidates with repeated cell counts and sizes). NaN when rho is NaN (fewer than 2
 * pairs, a constant variable, a NaN value); RangeError when the lengths differ.
 */
export function spearmanPValue(
  xs: readonly number[],
  ys: readonly number[],
  options: SpearmanPValueOptions = {},
): number {
  const { permutations = 9999, seed = 0 } = options;
  checkPositive("spearmanPValue", "permutations", permutations);
  if (xs.length !== ys.length) {
    throw new RangeError(
      `spearmanPValue: xs has ${xs.length} values but ys has ${ys.length}; they must pair up`,
    );
  }
  if (xs.some(Number.isNaN) || ys.some(Number.isNaN)) return NaN;
  const rx = ranks(xs), ry = ranks(ys);
  const rho = pearson(rx, ry);
  if (Number.isNaN(rho)) return NaN;
  const prng = options.prng ?? Prng.fromSeed(seed);
  const perm = [...ry];
  let hits = 0;
  for (let b = 0; b < permutations; b++) {
    prng.shuffle(perm);
    if (Math.abs(pearson(rx, perm)) >= Math.abs(rho) - 1e-12) hits++;
  }
  return (1 + hits) / (1 + permutations);
}
