import assert from "node:assert/strict";
import { mcnemar, mcnemarPaired } from "./mcnemar.ts";

const close = (a: number, b: number, rel = 1e-12) =>
  assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${a} is not within ${rel} (relative) of ${b}`);

Deno.test("mcnemar: exact p-values computed by hand", () => {
  // b = 1, c = 9: 2·P(X <= 1), X ~ Bin(10, 1/2) = 2·(1 + 10)/1024 = 0.021484375
  close(mcnemar(1, 9).pValue, 22 / 1024);
  close(mcnemar(9, 1).pValue, 22 / 1024);
  // b = 0, c = 5: 2/32
  close(mcnemar(0, 5).pValue, 0.0625);
  // b = 3, c = 10: 2·(1 + 13 + 78 + 286)/8192
  close(mcnemar(3, 10).pValue, (2 * 378) / 8192);
  assert.deepEqual(mcnemar(1, 9), { b: 1, c: 9, pValue: mcnemar(1, 9).pValue });
});

Deno.test("mcnemar: capped at 1, and 1 without discordant pairs", () => {
  assert.equal(mcnemar(0, 0).pValue, 1);
  assert.equal(mcnemar(5, 5).pValue, 1);
  assert.equal(mcnemar(0, 1).pValue, 1);
  assert.equal(mcnemar(4, 5).pValue, 1);
});

Deno.test("mcnemar: large counts without underflow (scipy.stats.binom.cdf)", () => {
  close(mcnemar(2, 30).pValue, 2.4633482098579407e-7, 1e-12);
  close(mcnemar(480, 520).pValue, 0.2174482932041415, 1e-10);
  close(mcnemar(4900, 5100).pValue, 0.04658552770494645, 1e-10);
  close(mcnemar(50000, 50500).pValue, 0.11547629006868594, 1e-9);
  assert.ok(mcnemar(0, 2000).pValue < 1e-300);
});

Deno.test("mcnemarPaired counts the discordant pairs of two outcome arrays", () => {
  // a right / b wrong at 0 and 3; a wrong / b right at 4; concordant elsewhere
  const a = [true, true, false, true, false, false];
  const b = [0, 1, 0, 0, 1, 0];
  const r = mcnemarPaired(a, b);
  assert.equal(r.b, 2);
  assert.equal(r.c, 1);
  assert.equal(r.pValue, 1);
  assert.equal(mcnemarPaired([], []).pValue, 1);
});

Deno.test("mcnemar: bad arguments are errors", () => {
  assert.throws(() => mcnemar(-1, 3), /b must be a non-negative integer, got -1/);
  assert.throws(() => mcnemar(1, 2.5), /c must be a non-negative integer, got 2.5/);
  assert.throws(() => mcnemarPaired([1, 0], [1]), /must pair up .* lengths 2 and 1/);
  assert.throws(() => mcnemarPaired([1, 2], [1, 0]), /a\[1\] is 2; outcomes must be booleans/);
});
