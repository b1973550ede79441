import assert from "node:assert/strict";
import { pearson as statsPearson } from "../stats/mod.ts";
import { paretoFront2d, pearson } from "./_stats.ts";

Deno.test("pearson of the charts is lib/stats' one definition", () => {
  assert.equal(pearson, statsPearson);
  assert.ok(Number.isNaN(pearson([1, 1, 1], [1, 2, 3])));
});

Deno.test("paretoFront2d: smaller x and larger y are better", () => {
  const pts = [
    { x: 1, y: 0.5 }, // front (smallest)
    { x: 2, y: 0.7 }, // front
    { x: 3, y: 0.6 }, // dominated by 2
    { x: 4, y: 0.9 }, // front
    { x: 4, y: 0.9 }, // duplicate, kept
    { x: NaN, y: 1 }, // ignored
  ];
  assert.deepEqual(paretoFront2d(pts, { x: "lower", y: "higher" }), [0, 1, 3, 4]);
  assert.deepEqual(paretoFront2d(pts, { x: "higher", y: "higher" }), [3, 4]);
});
