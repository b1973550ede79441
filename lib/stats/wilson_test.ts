import assert from "node:assert/strict";
import { wilson } from "./wilson.ts";

const close = (a: number, b: number, tol = 1e-12) =>
  assert.ok(Math.abs(a - b) <= tol, `${a} is not within ${tol} of ${b}`);

Deno.test("wilson: 8/10 and 0/10 at 95% (values from the closed form, checked with scipy)", () => {
  const w = wilson(8, 10);
  close(w.estimate, 0.8);
  close(w.lower, 0.49016247153664183);
  close(w.upper, 0.9433178485456247);
  const zero = wilson(0, 10);
  assert.equal(zero.lower, 0);
  close(zero.upper, 0.2775327998628892);
});

Deno.test("wilson: the published examples of Newcombe (1998), Table II, method 3", () => {
  const cases: [number, number, number, number][] = [
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ];
  for (const [x, n, lo, hi] of cases) {
    const w = wilson(x, n);
    close(w.lower, lo, 5e-5);
    close(w.upper, hi, 5e-5);
  }
});

Deno.test("wilson: other confidence levels; wider at higher confidence", () => {
  const w90 = wilson(8, 10, { confidence: 0.9 });
  close(w90.lower, 0.540792805687488);
  close(w90.upper, 0.931442012262468);
  const w99 = wilson(8, 10, { confidence: 0.99 });
  close(w99.lower, 0.4008186965216716);
  close(w99.upper, 0.9598688474953836);
  assert.ok(w99.lower < w90.lower && w99.upper > w90.upper);
});

Deno.test("wilson: n/n ends exactly at 1, 0/n at 0; symmetric in successes and failures", () => {
  const all = wilson(10, 10);
  assert.equal(all.upper, 1);
  close(all.lower, 1 - 0.2775327998628892);
  const one = wilson(1, 1);
  assert.equal(one.upper, 1);
  close(one.lower, 0.20654931437723745);
  for (const [x, n] of [[3, 17], [0, 4], [5, 10]]) {
    const a = wilson(x, n), b = wilson(n - x, n);
    close(a.lower, 1 - b.upper);
    close(a.upper, 1 - b.lower);
  }
});

Deno.test("wilson: n = 0 gives [0, 1] with no estimate; bad arguments are errors", () => {
  const none = wilson(0, 0);
  assert.equal(none.lower, 0);
  assert.equal(none.upper, 1);
  assert.ok(Number.isNaN(none.estimate));
  assert.throws(() => wilson(11, 10), /successes \(11\) must be at most n \(10\)/);
  assert.throws(() => wilson(-1, 10), /successes must be a non-negative integer, got -1/);
  assert.throws(() => wilson(2.5, 10), /successes must be a non-negative integer/);
  assert.throws(() => wilson(1, NaN), /n must be a non-negative integer, got NaN/);
  assert.throws(() => wilson(1, 10, { confidence: 95 }), /confidence must be in \(0, 1\), got 95/);
});
