import assert from "node:assert/strict";
import { Prng } from "../random/mod.ts";
import { pairedBootstrap } from "./paired_bootstrap.ts";

/** n = 400 examples: both right on 300, only the first on 40, only the second on 20. */
function outcomes(): [boolean[], boolean[]] {
  const a: boolean[] = [], b: boolean[] = [];
  const push = (x: boolean, y: boolean, k: number) => {
    for (let i = 0; i < k; i++) (a.push(x), b.push(y));
  };
  push(true, true, 300);
  push(true, false, 40);
  push(false, true, 20);
  push(false, false, 40);
  return [a, b];
}

Deno.test("pairedBootstrap: close to the normal interval of a paired difference", () => {
  const [a, b] = outcomes();
  const r = pairedBootstrap(a, b, { seed: 1 });
  // difference (40 - 20)/400 = 0.05; var(d) = 60/400 - 0.05² = 0.1475;
  // se = sqrt(0.1475/400) = 0.0192 -> normal interval 0.05 ± 1.96·se = [0.0124, 0.0876]
  assert.ok(Math.abs(r.difference - 0.05) < 1e-15);
  const se = Math.sqrt(0.1475 / 400);
  assert.ok(Math.abs(r.lower - (0.05 - 1.959964 * se)) < 0.005, `lower ${r.lower}`);
  assert.ok(Math.abs(r.upper - (0.05 + 1.959964 * se)) < 0.005, `upper ${r.upper}`);
  assert.equal(r.resamples, 10000);
  assert.equal(r.confidence, 0.95);
  // lower confidence: a narrower interval inside it
  const r50 = pairedBootstrap(a, b, { seed: 1, confidence: 0.5 });
  assert.ok(r50.lower > r.lower && r50.upper < r.upper);
});

Deno.test("pairedBootstrap: seeded and reproducible; the prng option draws the same stream", () => {
  const [a, b] = outcomes();
  const r = pairedBootstrap(a, b, { resamples: 500, seed: 7 });
  assert.deepEqual(pairedBootstrap(a, b, { resamples: 500, seed: 7 }), r);
  assert.deepEqual(pairedBootstrap(a, b, { resamples: 500, prng: Prng.fromSeed(7) }), r);
  const other = pairedBootstrap(a, b, { resamples: 500, seed: 8 });
  assert.ok(other.lower !== r.lower || other.upper !== r.upper);
});

Deno.test("pairedBootstrap: identical, all-different (n/n, 0/n) and empty inputs", () => {
  const same = pairedBootstrap([1, 0, 1, 1], [true, false, true, true], { resamples: 200 });
  assert.deepEqual([same.difference, same.lower, same.upper], [0, 0, 0]);
  const first = pairedBootstrap([1, 1, 1], [0, 0, 0], { resamples: 200 });
  assert.deepEqual([first.difference, first.lower, first.upper], [1, 1, 1]);
  const second = pairedBootstrap([0, 0], [1, 1], { resamples: 200 });
  assert.deepEqual([second.difference, second.lower, second.upper], [-1, -1, -1]);
  const one = pairedBootstrap([1], [0], { resamples: 1 });
  assert.deepEqual([one.lower, one.upper], [1, 1]);
  const empty = pairedBootstrap([], []);
  assert.ok([empty.difference, empty.lower, empty.upper].every(Number.isNaN));
});

Deno.test("pairedBootstrap: unequal lengths and non-binary values are errors", () => {
  assert.throws(() => pairedBootstrap([1, 0], [1]), /must pair up .* lengths 2 and 1/);
  assert.throws(() => pairedBootstrap([1, 0.5], [1, 0]), /a\[1\] is 0.5/);
  assert.throws(() => pairedBootstrap([1], [null as unknown as number]), /b\[0\] is null/);
  assert.throws(() => pairedBootstrap([1], [1], { resamples: 0 }), /resamples must be a positive/);
  assert.throws(() => pairedBootstrap([1], [1], { confidence: 1 }), /confidence must be in/);
});
