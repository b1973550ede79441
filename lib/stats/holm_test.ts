import assert from "node:assert/strict";
import { holm } from "./holm.ts";

const closeAll = (a: number[], b: number[]) => {
  assert.equal(a.length, b.length);
  a.forEach((x, i) =>
    assert.ok(
      Number.isNaN(b[i]) ? Number.isNaN(x) : Math.abs(x - b[i]) < 1e-12,
      `index ${i}: ${x} vs ${b[i]}`,
    )
  );
};

Deno.test("holm: hand-computed adjustments, in the input order", () => {
  // sorted 0.01, 0.03, 0.04 -> 3·0.01, 2·0.03, max(1·0.04, 0.06)
  closeAll(holm([0.01, 0.04, 0.03]), [0.03, 0.06, 0.06]);
  // sorted 0.005, 0.01, 0.03, 0.04 -> 0.02, 0.03, 0.06, max(0.04, 0.06)
  closeAll(holm([0.01, 0.04, 0.03, 0.005]), [0.03, 0.06, 0.06, 0.02]);
});

Deno.test("holm: capped at 1, monotone, never below the raw p-values", () => {
  closeAll(holm([0.5, 0.6]), [1, 1]);
  closeAll(holm([0.2, 0.9, 0.01]), [0.4, 0.9, 0.03]);
  const raw = [0.04, 0.001, 0.3, 0.02, 0.02, 0.7];
  const adj = holm(raw);
  raw.forEach((p, i) => {
    assert.ok(adj[i] >= p && adj[i] <= 1);
    raw.forEach((q, j) => p <= q && assert.ok(adj[i] <= adj[j], `${i} ${j}`));
  });
});

Deno.test("holm: ties, empty, single, NaN entries (as R's p.adjust)", () => {
  closeAll(holm([0.02, 0.02]), [0.04, 0.04]);
  assert.deepEqual(holm([]), []);
  assert.deepEqual(holm([0.3]), [0.3]);
  assert.deepEqual(holm([0, 0]), [0, 0]);
  // p.adjust(c(0.01, NA, 0.04), "holm") = 0.02, NA, 0.04: NaN is not counted
  closeAll(holm([0.01, NaN, 0.04]), [0.02, NaN, 0.04]);
  closeAll(holm([NaN]), [NaN]);
});

Deno.test("holm: a value outside [0, 1] is an error", () => {
  assert.throws(() => holm([0.1, 1.2]), /index 1 is 1.2; p-values must be in \[0, 1\]/);
  assert.throws(() => holm([-0.1]), /index 0 is -0.1/);
});
