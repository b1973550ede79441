import assert from "node:assert/strict";
import { ranks } from "./ranks.ts";

Deno.test("ranks: average ranks for ties, by hand and as scipy.stats.rankdata", () => {
  assert.deepEqual(ranks([10, 20, 20, 5]), [2, 3.5, 3.5, 1]);
  // rankdata([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]): the three 5s share ranks 7, 8, 9 -> 8
  assert.deepEqual(
    ranks([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]),
    [4.5, 1.5, 6, 1.5, 8, 11, 3, 10, 8, 4.5, 8],
  );
  assert.deepEqual(ranks([3, 2, 1]), [3, 2, 1]);
});

Deno.test("ranks: empty, single, constant, infinities; the sum is always n(n+1)/2", () => {
  assert.deepEqual(ranks([]), []);
  assert.deepEqual(ranks([42]), [1]);
  assert.deepEqual(ranks([7, 7, 7, 7]), [2.5, 2.5, 2.5, 2.5]);
  assert.deepEqual(ranks([Infinity, 0, -Infinity]), [3, 2, 1]);
  const xs = [0.5, 0.25, 0.5, 1, 0.25, 0.25, 2];
  assert.equal(ranks(xs).reduce((a, b) => a + b, 0), (7 * 8) / 2);
});

Deno.test("ranks: NaN is refused with its index", () => {
  assert.throws(() => ranks([1, NaN, 2]), /index 1 is NaN/);
});
