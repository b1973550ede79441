import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  cosineLoss,
  createProjection,
  hiddenMSE,
  patientLoss,
  type Projection,
} from "./hidden_losses.ts";
import { attentionMSE } from "./attention_loss.ts";
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

Deno.test("hiddenMSE: hand-computed, padding changes nothing, projection", () => {
  // Token 0: s = [1, 2], t = [0, 0] → (1 + 4) / (1 token · 2 features) = 2.5; token 1 is padding.
  const t = tf.tensor3d([[[0, 0], [0, 0]]]);
  const mask = tf.tensor2d([[1, 0]], undefined, "int32");
  const s1 = tf.tensor3d([[[1, 2], [3, 4]]]), s2 = tf.tensor3d([[[1, 2], [-50, 9]]]);
  close(value(hiddenMSE(s1, t, mask)), 2.5, 1e-6);
  close(value(hiddenMSE(s2, t, mask)), 2.5, 1e-6, "padding");
  // Both tokens real: (1 + 4 + 9 + 16) / (2 · 2) = 7.5
  const full = tf.tensor2d([[1, 1]]);
  close(value(hiddenMSE(s1, t, full)), 7.5, 1e-6);
  // Projection 2 → 3: K = [[1,0,1],[0,1,1]], b = [0,0,1]; [1,2] → [1, 2, 4]; t = [1,1,1]
  // → diff [0, 1, 3] → (0 + 1 + 9) / (1 · 3) = 3.3333
  const projection: Projection = {
    kernel: tf.variable(tf.tensor2d([[1, 0, 1], [0, 1, 1]])),
    bias: tf.variable(tf.tensor1d([0, 0, 1])),
  };
  const t3 = tf.tensor3d([[[1, 1, 1], [7, 7, 7]]]);
  close(value(hiddenMSE(s1, t3, mask, { projection })), 10 / 3, 1e-5, "projection");
  assert.throws(
    () => hiddenMSE(s1, t3, mask),
    /student width 2 differs from teacher width 3; pass \{ projection \}/,
  );
  assert.throws(() => hiddenMSE(s1, t, tf.ones([2, 2])), /mask must be \[batch, seq\] = \[1, 2\]/);
  // All padding: 0, not NaN.
  close(value(hiddenMSE(s1, t, tf.zeros([1, 2]))), 0, 0, "all padding");
  // The gradient reaches the projection and is zero from padded tokens.
  const g =
    tf.grads((x: tf.Tensor) => hiddenMSE(x as tf.Tensor3D, t3, mask, { projection }))([s1])[0];
  assert.deepEqual(Array.from(g.dataSync()).slice(2), [0, 0]);
  projection.kernel.dispose();
  projection.bias.dispose();
  tf.dispose([t, mask, s1, s2, full, t3, g]);
});

Deno.test("cosineLoss: hand-computed, masked, finite on zero vectors", () => {
  // token 0: [1,0] vs [0,1] → cos 0 → 1 − 0 = 1; token 1: [1,1] vs [2,2] → cos 1 → 0.
  const s = tf.tensor3d([[[1, 0], [1, 1]]]), t = tf.tensor3d([[[0, 1], [2, 2]]]);
  close(value(cosineLoss(s, t, tf.tensor2d([[1, 1]]))), 0.5, 1e-6, "both");
  close(value(cosineLoss(s, t, tf.tensor2d([[1, 0]]))), 1, 1e-6, "first only");
  close(value(cosineLoss(s, t, tf.tensor2d([[0, 1]]))), 0, 1e-6, "second only");
  const zero = tf.zeros([1, 2, 2]) as tf.Tensor3D;
  const g = tf.grad((x: tf.Tensor) => cosineLoss(x as tf.Tensor3D, t, tf.tensor2d([[1, 1]])))(zero);
  assert.ok(g.dataSync().every(Number.isFinite), "gradient at a zero vector is finite");
  tf.dispose([s, t, zero, g]);
});

Deno.test("patientLoss: normalised [CLS] MSE, 2-D and 3-D inputs agree", () => {
  // ex 0: [3,4]/5 = [0.6,0.8] vs [1,0] → (−0.4)² + 0.8² = 0.8; ex 1: [1,0] vs [2,0] → 0. Mean 0.4.
  const s2 = tf.tensor2d([[3, 4], [1, 0]]), t2 = tf.tensor2d([[1, 0], [2, 0]]);
  close(value(patientLoss(s2, t2)), 0.4, 1e-6);
  // 3-D: position 0 is [CLS]; position 1 is anything.
  const s3 = tf.tensor3d([[[3, 4], [9, 9]], [[1, 0], [-3, 2]]]);
  const t3 = tf.tensor3d([[[1, 0], [0, 5]], [[2, 0], [1, 1]]]);
  close(value(patientLoss(s3, t3)), 0.4, 1e-6, "3-D");
  const store = new Map<string, tf.Variable>();
  const projection = createProjection("p", { student: 2, teacher: 3 }, {
    prng: Prng.fromSeed(1),
    store,
  });
  assert.deepEqual([...store.keys()], ["p.kernel", "p.bias"]);
  const v = value(patientLoss(s2, tf.tensor2d([[1, 0, 0], [0, 1, 0]]), { projection }));
  assert.ok(Number.isFinite(v) && v >= 0 && v <= 4, `${v}`);
  store.forEach((x) => x.dispose());
  tf.dispose([s2, t2, s3, t3]);
});

Deno.test("attentionMSE: hand-computed, masked pairs, head averaging when counts differ", () => {
  // s = [[.5,.5],[.5,.5]], t = [[1,0],[.2,.8]]: squared diffs .25 .25 / .09 .09.
  const s = tf.tensor4d([[[[0.5, 0.5], [0.5, 0.5]]]]);
  const t = tf.tensor4d([[[[1, 0], [0.2, 0.8]]]]);
  close(
    value(attentionMSE(s, t, tf.tensor2d([[1, 1]]))),
    (0.25 + 0.25 + 0.09 + 0.09) / 4,
    1e-6,
    "full",
  );
  // Key/query 1 padded: only pair (0,0) → 0.25.
  close(value(attentionMSE(s, t, tf.tensor2d([[1, 0]]))), 0.25, 1e-6, "masked");
  const sPad = tf.tensor4d([[[[0.5, 0.1], [0.3, 0.9]]]]);
  close(value(attentionMSE(sPad, t, tf.tensor2d([[1, 0]]))), 0.25, 1e-6, "padding values ignored");
  // Student with 2 heads [[1,0],[0,1]] and [[0,1],[1,0]] averages to all 0.5 = s above.
  const s2 = tf.tensor4d([[[[1, 0], [0, 1]], [[0, 1], [1, 0]]]]);
  close(value(attentionMSE(s2, t, tf.tensor2d([[1, 1]]))), 0.17, 1e-6, "head average");
  // Equal head counts compare head by head: 2 heads vs the same 2 heads swapped.
  const s2swap = tf.tensor4d([[[[0, 1], [1, 0]], [[1, 0], [0, 1]]]]);
  close(value(attentionMSE(s2, s2swap, tf.tensor2d([[1, 1]]))), 1, 1e-6, "per head");
  assert.throws(
    () => attentionMSE(s, tf.zeros([1, 1, 3, 3]) as tf.Tensor4D, tf.ones([1, 2])),
    /differ in dimension 2/,
  );
  tf.dispose([s, t, sPad, s2, s2swap]);
});
