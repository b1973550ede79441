import assert from "node:assert/strict";
import { spearman } from "./spearman.ts";

Deno.test("spearman matches hand-computed values", () => {
  // No ties: rho = 1 - 6 Σd² / (n(n²-1)). x ranks 1..5, y ranks [2,1,4,3,5]: Σd² = 4 → 0.8
  assert.ok(Math.abs(spearman([1, 2, 3, 4, 5], [20, 10, 40, 30, 50]) - 0.8) < 1e-12);
  // Monotone but not linear: exactly 1 (and -1 reversed)
  assert.equal(spearman([1, 2, 3, 4], [1, 8, 27, 64]), 1);
  assert.equal(spearman([1, 2, 3, 4], [64, 27, 8, 1]), -1);
  // With ties: x ranks [1.5,1.5,3,4], y ranks [1,2,3,4] → Pearson of the ranks
  // mean 2.5 each; Σ(dx·dy) = (-1)(-1.5)+(-1)(-0.5)+(0.5)(0.5)+(1.5)(1.5) = 4.5;
  // Σdx² = 1+1+0.25+2.25 = 4.5; Σdy² = 5 → rho = 4.5 / sqrt(22.5) = 0.9486833
  // (scipy.stats.spearmanr: 0.9486832980505139)
  assert.ok(Math.abs(spearman([7, 7, 8, 9], [1, 2, 3, 4]) - 4.5 / Math.sqrt(22.5)) < 1e-12);
});

Deno.test("spearman: NaN for constant, short, empty or NaN input; error on lengths", () => {
  assert.ok(Number.isNaN(spearman([1, 1, 1], [1, 2, 3])));
  assert.ok(Number.isNaN(spearman([2], [3])));
  assert.ok(Number.isNaN(spearman([], [])));
  assert.ok(Number.isNaN(spearman([1, NaN, 3], [1, 2, 3])));
  assert.throws(() => spearman([1, 2], [1, 2, 3]), /xs has 2 values but ys has 3/);
});
