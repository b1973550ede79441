/** Wilson score interval for a binomial proportion. */
import { checkConfidence, checkCount } from "./_check.ts";
import { normalQuantile } from "./_normal_quantile.ts";
import type { Interval } from "./types.ts";

export interface WilsonOptions {
  /** Two-sided confidence level, in (0, 1). Default 0.95. */
  confidence?: number;
}

export interface WilsonInterval extends Interval {
  /** The observed proportion successes / n; NaN when n = 0. */
  estimate: number;
}

/**
 * Wilson's score interval (Wilson 1927; method 3 of Newcombe 1998, "Two-sided confidence
 * intervals for the single proportion"): with p̂ = x/n and z the 1 - (1 - confidence)/2 normal
 * quantile, (p̂ + z²/2n ± z·sqrt(p̂(1 - p̂)/n + z²/4n²)) / (1 + z²/n). Unlike the Wald interval it
 * stays inside [0, 1] and does not collapse to a point at 0/n or n/n.
 *
 * Edge behaviour: at 0/n the lower end is exactly 0 and at n/n the upper end exactly 1 (the
 * formula's values, without its rounding); n = 0 gives [0, 1] (the limit of the formula: no
 * observation rules out any proportion) with estimate NaN. Throws a RangeError unless n and
 * successes are integers with 0 <= successes <= n.
 */
export function wilson(successes: number, n: number, options: WilsonOptions = {}): WilsonInterval {
  const { confidence = 0.95 } = options;
  checkCount("wilson", "n", n);
  checkCount("wilson", "successes", successes);
  if (successes > n) {
    throw new RangeError(`wilson: successes (${successes}) must be at most n (${n})`);
  }
  checkConfidence("wilson", confidence);
  if (n === 0) return { estimate: NaN, lower: 0, upper: 1 };
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const p = successes / n, z2 = z * z;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = z * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom;
  return {
    estimate: p,
    lower: successes === 0 ? 0 : Math.max(0, center - half),
    upper: successes === n ? 1 : Math.min(1, center + half),
  };
}
