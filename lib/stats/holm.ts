/** Holm's step-down adjustment of p-values for multiple comparisons. */

/**
 * Holm (1979) adjusted p-values, in the input order: with the m p-values sorted ascending,
 * p̃_(i) = min(1, max_{j <= i} (m - j + 1)·p_(j)), so they are monotone in the raw p-values,
 * never below them and at most 1. Rejecting where p̃ <= alpha controls the family-wise error
 * rate at alpha under any dependence, and is uniformly more powerful than Bonferroni.
 * As R's p.adjust(method = "holm"): ties keep their order, NaN entries stay NaN and are not
 * counted in m. Empty input gives []. Throws a RangeError for a value outside [0, 1].
 */
export function holm(pValues: readonly number[]): number[] {
  pValues.forEach((p, i) => {
    if (!Number.isNaN(p) && !(p >= 0 && p <= 1)) {
      throw new RangeError(`holm: p-value at index ${i} is ${p}; p-values must be in [0, 1]`);
    }
  });
  const order = pValues.map((p, i) => [p, i] as const)
    .filter(([p]) => !Number.isNaN(p))
    .sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const m = order.length;
  const out = pValues.map(() => NaN);
  let running = 0;
  order.forEach(([p, i], k) => {
    running = Math.max(running, Math.min(1, (m - k) * p));
    out[i] = running;
  });
  return out;
}
