import assert from "node:assert/strict";
import { pearson } from "./pearson.ts";

const close = (a: number, b: number, tol = 1e-12) =>
  assert.ok(Math.abs(a - b) <= tol, `${a} is not within ${tol} of ${b}`);

Deno.test("pearson: a hand-computed value and perfect relations", () => {
  // x = 1..5, y = [2, 1, 4, 3, 6]: Σdxdy = 10, Σdx² = 10, Σdy² = 14.8 -> r = 10 / sqrt(148)
  // (scipy.stats.pearsonr: 0.8219949365267865)
  close(pearson([1, 2, 3, 4, 5], [2, 1, 4, 3, 6]), 10 / Math.sqrt(148));
  close(pearson([1, 2, 3, 4, 5], [2, 1, 4, 3, 6]), 0.8219949365267865);
  close(pearson([1, 2, 3], [2, 4, 6]), 1);
  close(pearson([1, 2, 3], [3, 2, 1]), -1);
  // unchanged by positive affine maps of either side
  close(pearson([10, 20, 30, 40, 50], [-3, -4, -1, -2, 1]), 10 / Math.sqrt(148));
});

Deno.test("pearson: NaN for fewer than 2 pairs, a constant side or a NaN value", () => {
  assert.ok(Number.isNaN(pearson([], [])));
  assert.ok(Number.isNaN(pearson([1], [1])));
  assert.ok(Number.isNaN(pearson([1, 1, 1], [1, 2, 3])));
  assert.ok(Number.isNaN(pearson([1, 2, 3], [5, 5, 5])));
  // constant but with a mean that rounds: still NaN, not a rounding artefact
  assert.ok(Number.isNaN(pearson([0.1, 0.1, 0.1], [1, 2, 3])));
  assert.ok(Number.isNaN(pearson([1, NaN, 3], [1, 2, 3])));
  assert.ok(Number.isNaN(pearson([1, Infinity, 3], [1, 2, 3])));
});

Deno.test("pearson: lengths that differ are an error", () => {
  assert.throws(() => pearson([1, 2, 3], [1, 2]), /xs has 3 values but ys has 2/);
});
