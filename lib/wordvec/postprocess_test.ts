import assert from "node:assert/strict";
import { centreAndNormalise, meanRow } from "./postprocess.ts";

Deno.test("centreAndNormalise removes the common direction and returns unit rows", () => {
  // Three vectors sharing a large common component along the first axis.
  const m = Float32Array.from([10, 1, 0, 10, 0, 1, 10, -1, -1]);
  const c = centreAndNormalise(m, 3);
  for (let r = 0; r < 3; r++) {
    const n = Math.hypot(c[3 * r], c[3 * r + 1], c[3 * r + 2]);
    assert.ok(Math.abs(n - 1) < 1e-6);
  }
  assert.deepEqual([...meanRow(Float32Array.from([1, 2, 3, 5]), 2)], [2, 3.5]);
  // Before: all pairs nearly parallel; after: the first two are no longer.
  const dot = (a: number, b: number) =>
    c[3 * a] * c[3 * b] + c[3 * a + 1] * c[3 * b + 1] + c[3 * a + 2] * c[3 * b + 2];
  assert.ok(dot(0, 1) < 0.5);
  assert.throws(() => centreAndNormalise(m, 2), /do not split into rows of 2/);
  assert.deepEqual([...meanRow(new Float32Array(0), 3)], [0, 0, 0]);
});
