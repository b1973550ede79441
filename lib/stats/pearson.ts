/** Pearson's product-moment correlation: the one definition used across the project. */

/**
 * Pearson's r of the pairs (xs[i], ys[i]).
 *
 * Edge behaviour (the same everywhere it is used: charts, Spearman, the report):
 * - NaN when there are fewer than 2 pairs (empty input included);
 * - NaN when either variable is constant (all values equal, so r is 0/0);
 * - NaN when any value is NaN or infinite (it propagates through the means);
 * - a RangeError when the two arrays differ in length (pairs would be silently dropped).
 * Otherwise the value lies in [-1, 1] up to rounding.
 */
export function pearson(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  if (n !== ys.length) {
    throw new RangeError(`pearson: xs has ${n} values but ys has ${ys.length}; they must pair up`);
  }
  if (n < 2 || constant(xs) || constant(ys)) return NaN;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i];
    my += ys[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i] - mx, dy = ys[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? NaN : sxy / Math.sqrt(sxx * syy);
}

/** All values equal (checked exactly: a rounded mean would leave tiny non-zero deviations). */
function constant(xs: readonly number[]): boolean {
  return xs.every((x) => x === xs[0]);
}
