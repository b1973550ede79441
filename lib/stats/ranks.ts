/** Ranks with ties averaged (the ranks Spearman's rho and rank tests use). */

/**
 * Ranks from 1 (smallest) to n; tied values share the mean of the ranks they occupy, so
 * `ranks([10, 20, 20, 5])` is `[2, 3.5, 3.5, 1]` and the ranks always sum to n(n+1)/2.
 * Empty input gives `[]`. Infinities rank as the extremes; NaN is refused (it has no order).
 */
export function ranks(xs: readonly number[]): number[] {
  const bad = xs.findIndex((x) => Number.isNaN(x));
  if (bad >= 0) {
    throw new RangeError(`ranks: value at index ${bad} is NaN; ranks need ordered numbers`);
  }
  const order = xs.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(xs.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) out[order[k][1]] = r;
    i = j + 1;
  }
  return out;
}
