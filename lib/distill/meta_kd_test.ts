import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { gradientReversal } from "./gradient_reversal.ts";
import { softCE } from "./logit_losses.ts";
import { hiddenMSE } from "./hidden_losses.ts";
import { attentionMSE } from "./attention_loss.ts";
import { teacherConfidenceFactor, transferabilityWeights } from "./transferability.ts";
import { setupBackend } from "./_test_data.ts";

Deno.test("transferability: on two domains, examples near both centroids weigh most", () => {
  // domain 0 around (1, 0), domain 1 around (0, 1); "bridge" examples lie between them
  const vectors = [
    [1, 0.3], // 0: domain 0, towards domain 1 (transferable)
    [1, -0.6], // 1: domain 0, away from domain 1 (an outlier of transfer)
    [1, 0.1], // 2: domain 0, typical
    [0.3, 1], // 3: domain 1, towards domain 0
    [-0.6, 1], // 4: domain 1, away
    [0.1, 1], // 5: domain 1, typical
  ];
  const t = transferabilityWeights(vectors, [0, 0, 0, 1, 1, 1]);
  const w = t.weights;
  assert.ok(w[0] > w[2] && w[2] > w[1], `domain 0: ${w.slice(0, 3)}`);
  assert.ok(w[3] > w[5] && w[5] > w[4], `domain 1: ${w.slice(3)}`);
  // by hand for example 0: centroids c0 = (1, -1/15), c1 = (-1/15, 1)
  const c0 = [1, (0.3 - 0.6 + 0.1) / 3], c1 = [(0.3 - 0.6 + 0.1) / 3, 1];
  const cos = (a: number[], b: number[]) =>
    (a[0] * b[0] + a[1] * b[1]) / Math.hypot(...a) / Math.hypot(...b);
  assert.ok(Math.abs(w[0] - (cos([1, 0.3], c0) + cos([1, 0.3], c1)) / 2) < 1e-12);
  assert.ok(Math.abs(t.similarity[0][1] - cos(c0, c1)) < 1e-12);
  assert.equal(t.similarity[0][0], 1);
  assert.throws(() => transferabilityWeights([[1, 0]], [0]), /at least two domains/);
  assert.throws(() => transferabilityWeights([[1, 0], [1]], [0, 1]), /vector 1 has 1 values/);
  assert.ok(Math.abs(teacherConfidenceFactor(1) - 0.5) < 1e-12);
  assert.ok(Math.abs(teacherConfidenceFactor(0) - 1 / (1 + Math.E)) < 1e-12);
});

Deno.test("gradient reversal: identity forward, the gradient times -lambda backward", async () => {
  await setupBackend();
  const x = tf.tensor1d([1, -2, 3]);
  const y = gradientReversal(x, 0.5);
  assert.deepEqual([...y.dataSync()], [1, -2, 3]);
  const g = tf.grad((v: tf.Tensor) => tf.sum(tf.square(gradientReversal(v, 0.5))))(x);
  // d/dx sum(x^2) = 2x, reversed and scaled: -0.5 * 2x = -x
  assert.deepEqual([...g.dataSync()], [-1, 2, -3]);
  const plain = tf.grad((v: tf.Tensor) => tf.sum(tf.square(v)))(x);
  assert.deepEqual([...plain.dataSync()].map((v) => -0.5 * v), [...g.dataSync()]);
  tf.dispose([x, y, g, plain]);
});

Deno.test("weighted soft CE equals the hand-computed mean of w_i l_i", async () => {
  await setupBackend();
  const s = tf.tensor2d([[2, 0], [0, 1]]), t = tf.tensor2d([[1, 1], [3, 0]]);
  const w = tf.tensor1d([0.25, 1.5]);
  const v = softCE(s, t, { temperature: 2, weights: w }).dataSync()[0];
  // by hand at T = 2: l_i = -sum_j softmax(t_i/2)_j log softmax(s_i/2)_j, times T^2 = 4
  const sm = (a: number[]) => {
    const e = a.map((x) => Math.exp(x / 2)), z = e[0] + e[1];
    return e.map((x) => x / z);
  };
  const l = (si: number[], ti: number[]) => {
    const ps = sm(si), pt = sm(ti);
    return -(pt[0] * Math.log(ps[0]) + pt[1] * Math.log(ps[1]));
  };
  const expected = 4 * (0.25 * l([2, 0], [1, 1]) + 1.5 * l([0, 1], [3, 0])) / 2;
  assert.ok(Math.abs(v - expected) < 1e-5, `${v} vs ${expected}`);
  assert.throws(
    () => softCE(s, t, { weights: tf.tensor1d([1, 2, 3]) }),
    /weights must be \[batch\]/,
  );
  tf.dispose([s, t, w]);
});

Deno.test("weighted hidden and attention MSE: by hand, over the unchanged count", async () => {
  await setupBackend();
  // two examples, two positions, width 1; example 1's second position is padding
  const s = tf.tensor3d([[[1], [2]], [[0], [5]]]), t = tf.tensor3d([[[0], [0]], [[1], [0]]]);
  const mask = tf.tensor2d([[1, 1], [1, 0]], [2, 2], "int32");
  const w = tf.tensor1d([2, 0.5]);
  // squared errors at real tokens: ex 0: 1, 4; ex 1: 1 (the 25 is padding); 3 real tokens
  const h = hiddenMSE(s, t, mask, { weights: w }).dataSync()[0];
  assert.ok(Math.abs(h - (2 * (1 + 4) + 0.5 * 1) / 3) < 1e-6, `hidden ${h}`);
  const ones = hiddenMSE(s, t, mask, { weights: tf.tensor1d([1, 1]) }).dataSync()[0];
  assert.ok(Math.abs(ones - hiddenMSE(s, t, mask).dataSync()[0]) < 1e-7);
  // attention [b, 1 head, 2, 2]: ex 0 all pairs real, ex 1 only (0, 0)
  const sa = tf.tensor4d([[[[1, 0], [0, 1]]], [[[0.5, 0.5], [1, 0]]]]);
  const ta = tf.tensor4d([[[[0, 1], [0, 1]]], [[[1, 0], [0, 1]]]]);
  const a = attentionMSE(sa, ta, mask, w).dataSync()[0];
  // ex 0: (1 + 1 + 0 + 0) on 4 pairs; ex 1: 0.25 on 1 pair; count 5
  assert.ok(Math.abs(a - (2 * 2 + 0.5 * 0.25) / 5) < 1e-6, `attention ${a}`);
  assert.throws(() => hiddenMSE(s, t, mask, { weights: tf.tensor1d([1]) }), /weights must be/);
  tf.dispose([s, t, mask, w, sa, ta]);
});
