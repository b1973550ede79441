/** Small statistics used by the charts (Pearson correlation, non-dominated sets). */

/** Pearson's r of paired finite values; NaN when fewer than 2 pairs or a constant variable. */
export function pearson(xs: readonly number[], ys: readonly number[]): number {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return NaN;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) (mx += xs[i]), (my += ys[i]);
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

export type Direction = "lower" | "higher";

/**
 * Indices of the points not dominated by any other point in two objectives. A point dominates
 * another when it is at least as good in both and strictly better in one. Exact duplicates are
 * all kept. Points with a non-finite coordinate are ignored.
 */
export function paretoFront2d(
  points: readonly { x: number; y: number }[],
  directions: { x: Direction; y: Direction },
): number[] {
  const sx = directions.x === "higher" ? 1 : -1;
  const sy = directions.y === "higher" ? 1 : -1;
  const ok = points
    .map((p, i) => ({ x: sx * p.x, y: sy * p.y, i }))
    .filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const front: number[] = [];
  for (const p of ok) {
    const dominated = ok.some((q) => q.x >= p.x && q.y >= p.y && (q.x > p.x || q.y > p.y));
    if (!dominated) front.push(p.i);
  }
  return front;
}
