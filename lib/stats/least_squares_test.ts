import assert from "node:assert/strict";
import { Prng } from "../random/mod.ts";
import { leastSquares } from "./least_squares.ts";

const close = (a: number, b: number, tol = 1e-12) =>
  assert.ok(Math.abs(a - b) <= tol, `${a} is not within ${tol} of ${b}`);

Deno.test("least squares: a fit computed by hand", () => {
  // y = [1, 3, 2, 5] on x = 1..4: Sxy = 5.5, Sxx = 5 -> slope 1.1, intercept 2.75 - 1.1·2.5 = 0;
  // residuals [-0.1, 0.8, -1.3, 0.6]: SSres = 2.7; SStot = 8.75 -> R² = 1 - 2.7/8.75;
  // adjusted R² = 1 - (2.7/8.75)·3/2; residual sd = sqrt(2.7/2)
  const fit = leastSquares([[1], [2], [3], [4]], [1, 3, 2, 5]);
  close(fit.beta[0], 0);
  close(fit.beta[1], 1.1);
  close(fit.r2, 1 - 2.7 / 8.75);
  close(fit.adjustedR2, 1 - (2.7 / 8.75) * 1.5);
  close(fit.residualSd, Math.sqrt(1.35));
});

Deno.test("least squares recovers known coefficients and R² = 1 without noise", () => {
  const prng = Prng.fromSeed(5);
  const X = Array.from({ length: 40 }, () => [prng.normal(), prng.normal(), prng.normal()]);
  const y = X.map((r) => 0.5 + 2 * r[0] - 1 * r[1] + 0.25 * r[2]);
  const fit = leastSquares(X, y);
  [0.5, 2, -1, 0.25].forEach((b, j) => assert.ok(Math.abs(fit.beta[j] - b) < 1e-9, `beta ${j}`));
  assert.ok(Math.abs(fit.r2 - 1) < 1e-12);
  const noisy = y.map((v) => v + 0.1 * prng.normal());
  const fit2 = leastSquares(X, noisy);
  assert.ok(Math.abs(fit2.beta[1] - 2) < 0.1 && fit2.r2 > 0.95 && fit2.r2 < 1);
  assert.ok(fit2.adjustedR2 < fit2.r2);
  assert.throws(() => leastSquares(X.map((r) => [r[0], 2 * r[0]]), y), /linearly dependent/);
});

Deno.test("least squares: intercept only, exact fit, constant outcome", () => {
  // no predictors: beta is the mean, R² = 0
  const mean = leastSquares([[], [], [], []], [1, 2, 3, 6]);
  close(mean.beta[0], 3);
  close(mean.r2, 0);
  // n = p: an exact fit with no residual degrees of freedom
  const exact = leastSquares([[0], [1]], [1, 3]);
  close(exact.beta[1], 2);
  close(exact.r2, 1);
  assert.ok(Number.isNaN(exact.adjustedR2) && Number.isNaN(exact.residualSd));
  // constant y: R² (and so adjusted R²) undefined
  const flat = leastSquares([[1], [2], [3]], [4, 4, 4]);
  close(flat.beta[0], 4);
  close(flat.beta[1], 0);
  assert.ok(Number.isNaN(flat.r2) && Number.isNaN(flat.adjustedR2));
});

Deno.test("least squares: errors name the problem", () => {
  assert.throws(() => leastSquares([[1], [2]], [1]), /X has 2 rows but y has 1/);
  assert.throws(() => leastSquares([[1, 2], [3]], [1, 2]), /row 1 of X has 1 values, row 0 has 2/);
  assert.throws(() => leastSquares([[1, 2]], [1]), /1 rows for 3 coefficients/);
  assert.throws(() => leastSquares([], []), /0 rows for 1 coefficients/);
  assert.throws(() => leastSquares([[5], [5], [5]], [1, 2, 3]), /column 1 of \[1, X\]/);
});
