/** Paired bootstrap interval for the difference of two accuracies on the same examples. */
import { Prng } from "../random/mod.ts";
import { pairedBinary } from "./_binary.ts";
import { checkConfidence, checkPositive } from "./_check.ts";
import type { BinaryOutcomes, Interval } from "./types.ts";

export interface PairedBootstrapOptions {
  /** Number of bootstrap resamples. Default 10,000. */
  resamples?: number;
  /** Two-sided confidence level, in (0, 1). Default 0.95. */
  confidence?: number;
  /** Seed of the Prng that resamples. Default 0. Ignored when `prng` is given. */
  seed?: number;
  /** Generator to draw the resamples from (advanced in place). Default `Prng.fromSeed(seed)`. */
  prng?: Prng;
}

export interface PairedBootstrapResult extends Interval {
  /** Observed accuracy of the first minus that of the second; NaN for no examples. */
  difference: number;
  resamples: number;
  confidence: number;
}

/**
 * Percentile bootstrap (Efron & Tibshirani 1993, ch. 13) of accuracy(first) - accuracy(second),
 * resampling examples with replacement so that each example keeps its pair of outcomes (the
 * paired design: the two models' errors on one sentence are correlated, and resampling the two
 * arrays separately would overstate the spread). The bounds are the (1 - confidence)/2 and
 * (1 + confidence)/2 quantiles of the resampled differences, linearly interpolated between
 * order statistics (R's quantile type 7).
 *
 * Inputs: two arrays of booleans or 0/1 of the same length (RangeError otherwise). Edge
 * behaviour: no examples gives difference, lower and upper NaN; identical outcomes give
 * [0, 0], and outcomes that differ on every example in the same direction [±1, ±1].
 */
export function pairedBootstrap(
  first: BinaryOutcomes,
  second: BinaryOutcomes,
  options: PairedBootstrapOptions = {},
): PairedBootstrapResult {
  const { resamples = 10000, confidence = 0.95, seed = 0 } = options;
  checkPositive("pairedBootstrap", "resamples", resamples);
  checkConfidence("pairedBootstrap", confidence);
  const [a, b] = pairedBinary("pairedBootstrap", first, second);
  const n = a.length;
  if (n === 0) return { difference: NaN, lower: NaN, upper: NaN, resamples, confidence };
  const d = a.map((x, i) => x - b[i]); // per-example difference in {-1, 0, 1}
  const difference = d.reduce((s, x) => s + x, 0) / n;
  const prng = options.prng ?? Prng.fromSeed(seed);
  const stats = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += d[prng.int(n)];
    stats[r] = s / n;
  }
  stats.sort();
  const alpha = (1 - confidence) / 2;
  return {
    difference,
    lower: quantile7(stats, alpha),
    upper: quantile7(stats, 1 - alpha),
    resamples,
    confidence,
  };
}

/** Quantile q of sorted values, type 7: interpolate at position (length - 1)·q. */
function quantile7(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q, lo = Math.floor(h), hi = Math.ceil(h);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
