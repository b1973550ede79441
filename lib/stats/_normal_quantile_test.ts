import assert from "node:assert/strict";
import { normalQuantile } from "./_normal_quantile.ts";

Deno.test("normalQuantile matches scipy.stats.norm.ppf in all three regions of AS 241", () => {
  const cases: [number, number][] = [
    [0.5, 0],
    [0.975, 1.959963984540054],
    [0.995, 2.5758293035489004],
    [0.95, 1.6448536269514722],
    [0.3, -0.5244005127080409],
    [0.02, -2.053748910631823], // |q| > 0.425, r <= 5
    [1e-10, -6.361340902404056], // r > 5
    [1e-300, -37.0470962993612],
  ];
  for (const [p, z] of cases) {
    assert.ok(Math.abs(normalQuantile(p) - z) <= 1e-14 * Math.max(1, Math.abs(z)), `p ${p}`);
  }
  assert.ok(Math.abs(normalQuantile(0.2) + normalQuantile(0.8)) < 1e-15);
});

Deno.test("normalQuantile: infinite at 0 and 1, an error outside [0, 1]", () => {
  assert.equal(normalQuantile(0), -Infinity);
  assert.equal(normalQuantile(1), Infinity);
  assert.throws(() => normalQuantile(1.5), /p must be in \[0, 1\], got 1.5/);
  assert.throws(() => normalQuantile(NaN), /got NaN/);
});
