import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { hardLabelCE, softCE, softTargetKL } from "./logit_losses.ts";
import { setupBackend } from "./_test_data.ts";
import { Prng } from "../random/mod.ts";

await setupBackend();

const close = (got: number, want: number, tol: number, what = "") =>
  assert.ok(Math.abs(got - want) <= tol, `${what} got ${got}, want ${want} ± ${tol}`);
const value = (t: tf.Tensor) => {
  const v = t.dataSync()[0];
  t.dispose();
  return v;
};

/** Float64 reference: T² · mean_b Σ p_t (log p_t − log p_s), straight from the definition. */
function klReference(s: number[][], t: number[][], T: number): number {
  const logSoftmax = (z: number[]) => {
    const m = Math.max(...z.map((x) => x / T));
    const lse = m + Math.log(z.reduce((a, x) => a + Math.exp(x / T - m), 0));
    return z.map((x) => x / T - lse);
  };
  let total = 0;
  s.forEach((row, b) => {
    const ls = logSoftmax(row), lt = logSoftmax(t[b]);
    total += lt.reduce((a, l, i) => a + Math.exp(l) * (l - ls[i]), 0);
  });
  return (T * T * total) / s.length;
}

Deno.test("softTargetKL matches hand-computed values and scales by T²", () => {
  // Row 0: p_t = softmax([ln 3, 0]) = [3/4, 1/4], p_s = softmax([0, 0]) = [1/2, 1/2]
  //   KL = 0.75·ln(0.75/0.5) + 0.25·ln(0.25/0.5) = 0.75·0.405465 − 0.25·0.693147 = 0.130812
  // Row 1: identical logits → KL = 0. Mean over the batch: 0.065406.
  const s = tf.tensor2d([[0, 0], [1, 2]]);
  const t = tf.tensor2d([[Math.log(3), 0], [1, 2]]);
  close(value(softTargetKL(s, t)), 0.065406, 1e-5, "T=1");
  // T = 2 with teacher logits doubled: same distributions, so KL is unchanged and T² = 4 scales it.
  const t2 = tf.tensor2d([[2 * Math.log(3), 0], [2, 4]]);
  const s2 = tf.tensor2d([[0, 0], [2, 4]]);
  close(value(softTargetKL(s2, t2, { temperature: 2 })), 4 * 0.065406, 1e-5, "T=2");
  // Identical inputs give exactly zero.
  close(value(softTargetKL(t, t)), 0, 1e-7, "self");
  tf.dispose([s, t, t2, s2]);
});

Deno.test(
  "softTargetKL at T = 0.01 with 50 logits: finite, argmax-CE limit, finite gradient",
  () => {
    const prng = Prng.fromSeed(3);
    const rows = 4, n = 50, T = 0.01;
    const s = [...Array(rows)].map(() => [...Array(n)].map(() => 3 * prng.normal()));
    const t = [...Array(rows)].map(() => [...Array(n)].map(() => 3 * prng.normal()));
    t.forEach((row) => row[prng.int(n)] += 10); // a clear teacher argmax
    const st = tf.tensor2d(s), tt = tf.tensor2d(t);
    const got = value(softTargetKL(st, tt, { temperature: T }));
    assert.ok(Number.isFinite(got), `loss ${got}`);
    close(got, klReference(s, t, T), 1e-3 * Math.max(1, klReference(s, t, T)), "float64 reference");
    // Limit: T·(max_j s_j − s_k), k = teacher argmax, up to T·log(50) from the log-sum-exp.
    const limit = s.reduce((a, row, b) => {
      const k = t[b].indexOf(Math.max(...t[b]));
      return a + T * (Math.max(...row) - row[k]);
    }, 0) / rows;
    assert.ok(
      got >= limit - 1e-4 && got <= limit + T * Math.log(n) + 1e-4,
      `got ${got}, limit ${limit}`,
    );
    const g = tf.grad((x: tf.Tensor) => softTargetKL(x as tf.Tensor2D, tt, { temperature: T }))(st);
    assert.ok(g.dataSync().every(Number.isFinite), "gradient finite");
    tf.dispose([st, tt, g]);
  },
);

Deno.test("softTargetKL at T = 100 approaches Hinton's logit-matching limit", () => {
  // T²·KL → Σ_i (Δ_i − mean Δ)² / (2N), Δ = t − s, as T → ∞.
  const s = [[0.5, -1, 2, 0.3], [1, 1, -2, 0]];
  const t = [[1.5, 0, -1, 0.2], [0, 2, 1, -1]];
  const got = value(softTargetKL(tf.tensor2d(s), tf.tensor2d(t), { temperature: 100 }));
  const limit = s.reduce((a, row, b) => {
    const d = row.map((x, i) => t[b][i] - x);
    const mean = d.reduce((x, y) => x + y) / d.length;
    return a + d.reduce((x, y) => x + (y - mean) ** 2, 0) / (2 * d.length);
  }, 0) / s.length;
  close(got, limit, 0.01 * limit, "limit");
  close(got, klReference(s, t, 100), 0.01 * limit, "float64 reference");
});

Deno.test("softCE = KL + teacher entropy; hardLabelCE matches −log p", () => {
  // softCE row 0: −(0.75·ln 0.5 + 0.25·ln 0.5) = ln 2 = 0.693147 (= KL 0.130812 + H 0.562335)
  const s = tf.tensor2d([[0, 0]]), t = tf.tensor2d([[Math.log(3), 0]]);
  close(value(softCE(s, t)), Math.LN2, 1e-6, "softCE");
  // T = 2, teacher doubled → same p_t, T² = 4.
  close(
    value(softCE(s, tf.tensor2d([[2 * Math.log(3), 0]]), { temperature: 2 })),
    4 * Math.LN2,
    1e-5,
  );
  // hardLabelCE: logits [ln 3, 0] → p = [3/4, 1/4]; label 0 → −ln 0.75 = 0.287682,
  // label 1 → −ln 0.25 = 1.386294; mean 0.836988.
  const logits = tf.tensor2d([[Math.log(3), 0], [Math.log(3), 0]]);
  close(value(hardLabelCE(logits, tf.tensor1d([0, 1], "int32"))), 0.836988, 1e-5, "hard CE");
  tf.dispose([s, t, logits]);
});

Deno.test("logit losses: NaN propagates (documented), bad arguments fail clearly, no leaks", () => {
  const before = tf.memory().numTensors;
  const s = tf.tensor2d([[NaN, 0]]), t = tf.tensor2d([[1, 0]]);
  const wide = tf.tensor2d([[1, 0, 2]]), empty = tf.zeros([0, 2]) as tf.Tensor2D;
  const labels = tf.tensor1d([0, 1], "int32");
  assert.ok(Number.isNaN(value(softTargetKL(s, t))));
  assert.throws(
    () => softTargetKL(t, t, { temperature: 0 }),
    /temperature must be a finite number > 0, got 0/,
  );
  assert.throws(() => softTargetKL(t, wide), /differ in dimension 1/);
  assert.throws(() => softTargetKL(empty, empty), /batch is empty/);
  assert.throws(() => hardLabelCE(t, labels), /differ in dimension 0/);
  tf.dispose([s, t, wide, empty, labels]);
  assert.equal(tf.memory().numTensors, before);
});
