import assert from "node:assert/strict";
import { Prng } from "../random/mod.ts";
import { spearman } from "./spearman.ts";
import { spearmanPValue } from "./spearman_p_value.ts";

/** All permutations of xs (for exact p-values of tiny n). */
function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [[...xs]];
  return xs.flatMap((x, i) =>
    permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((rest) => [x, ...rest])
  );
}

Deno.test("permutation p-value: exact for a small n, small for a strong relation", () => {
  // n = 4, rho = 1: of the 24 orderings only the identity reaches |rho| = 1 and its reverse;
  // the exact two-sided p is 2/24; a long permutation test approaches it.
  const p = spearmanPValue([1, 2, 3, 4], [1, 2, 3, 4], { permutations: 20000, seed: 3 });
  assert.ok(Math.abs(p - 2 / 24) < 0.01, `p ${p}`);
  const prng = Prng.fromSeed(1);
  const x = Array.from({ length: 30 }, (_, i) => i);
  const noise = x.map(() => prng.next());
  assert.ok(spearmanPValue(x, x.map((v, i) => v + 3 * noise[i]), { permutations: 999 }) < 0.01);
  assert.ok(spearmanPValue(x, noise, { permutations: 999 }) > 0.01);
});

Deno.test("permutation p-value approaches the exact one with ties (n = 6, 720 orderings)", () => {
  const x = [1, 2, 2, 3, 4, 5], y = [2, 1, 3, 3, 6, 5];
  const rho = spearman(x, y);
  const all = permutations(y);
  const exact = all.filter((perm) => Math.abs(spearman(x, perm)) >= Math.abs(rho) - 1e-12)
    .length / all.length;
  const p = spearmanPValue(x, y, { permutations: 40000, seed: 8 });
  assert.ok(Math.abs(p - exact) < 0.01, `p ${p}, exact ${exact}`);
});

Deno.test("permutation p-value: seeded, never below 1/(1+B), NaN when rho is", () => {
  const x = [3, 1, 4, 1, 5, 9, 2, 6], y = [2, 7, 1, 8, 2, 8, 1, 8];
  const a = spearmanPValue(x, y, { permutations: 499, seed: 12 });
  assert.equal(spearmanPValue(x, y, { permutations: 499, seed: 12 }), a);
  assert.equal(spearmanPValue(x, y, { permutations: 499, prng: Prng.fromSeed(12) }), a);
  // a perfect relation on many points: no permutation reaches it, p is the floor 1/(1+B)
  const big = Array.from({ length: 40 }, (_, i) => i);
  assert.equal(spearmanPValue(big, big, { permutations: 99 }), 1 / 100);
  assert.ok(Number.isNaN(spearmanPValue([1, 1, 1], [1, 2, 3])));
  assert.ok(Number.isNaN(spearmanPValue([], [])));
  assert.throws(() => spearmanPValue(x, y, { permutations: 0 }), /positive integer, got 0/);
  assert.throws(() => spearmanPValue([1, 2], [1]), /must pair up/);
});
