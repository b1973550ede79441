/**
 * Small statistics used by the charts: non-dominated sets here; Pearson's r is lib/stats' one
 * definition (NaN for fewer than 2 pairs or a constant variable), re-exported for the charts.
 */
export { pearson } from "../stats/mod.ts";

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
