/** Exact McNemar test for paired binary outcomes (two classifiers on the same examples). */
import { pairedBinary } from "./_binary.ts";
import { checkCount } from "./_check.ts";
import type { BinaryOutcomes } from "./types.ts";

export interface McNemarResult {
  /** Discordant pairs where the first is right and the second wrong. */
  b: number;
  /** Discordant pairs where the first is wrong and the second right. */
  c: number;
  /** Two-sided exact p-value; 1 when there are no discordant pairs. */
  pValue: number;
}

/**
 * Exact (binomial) McNemar test (McNemar 1947; the exact form as in Fagerland, Lydersen &
 * Laake 2013, "The McNemar test for binary matched-pairs data"): under the null hypothesis of
 * equal accuracy each of the b + c discordant pairs goes either way with probability 1/2, so
 * p = min(1, 2·P(X <= min(b, c))) with X ~ Binomial(b + c, 1/2). Concordant pairs carry no
 * information and are not arguments. b + c = 0 gives p = 1; a p-value below the smallest
 * double (~1e-308, e.g. b = 0, c = 2000) is 0. Throws a RangeError unless b and c are
 * non-negative integers.
 */
export function mcnemar(b: number, c: number): McNemarResult {
  checkCount("mcnemar", "b", b);
  checkCount("mcnemar", "c", c);
  return { b, c, pValue: Math.min(1, 2 * binomialHalfCdf(Math.min(b, c), b + c)) };
}

/**
 * `mcnemar` from two paired outcome arrays (booleans or 0/1: was example i classified
 * correctly by the first / the second model). RangeError when the lengths differ or a value is
 * not binary.
 */
export function mcnemarPaired(first: BinaryOutcomes, second: BinaryOutcomes): McNemarResult {
  const [a, s] = pairedBinary("mcnemarPaired", first, second);
  let b = 0, c = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === 1 && s[i] === 0) b++;
    else if (a[i] === 0 && s[i] === 1) c++;
  }
  return mcnemar(b, c);
}

/**
 * P(X <= k) for X ~ Binomial(m, 1/2) and k <= m/2, without underflow for large m: the terms
 * C(m, i)/2^m increase up to i = k, so they are summed relative to the last one, whose
 * logarithm is log C(m, k) - m log 2.
 */
function binomialHalfCdf(k: number, m: number): number {
  if (m === 0) return 1;
  let logLast = -m * Math.LN2;
  for (let i = 1; i <= k; i++) logLast += Math.log((m - k + i) / i);
  let sum = 0, term = 1;
  for (let i = k; i >= 0 && term > 1e-17 * sum; i--) {
    sum += term;
    term *= i / (m - i + 1); // C(m, i-1) / C(m, i)
  }
  return Math.min(1, sum * Math.exp(logLast));
}
