/**
 * The whole BERT classifier with the fused wasm kernels (lib/backend) on and off: one training
 * step's logits and every parameter's gradient, in training mode (dropout on, seeded) on a
 * padded batch of uneven rows, so LayerNorm, GELU, dropout and the attention products all run
 * fused next to the stock masked softmax. Dropout masks are drawn from the same stream both
 * ways, so the two paths differ only by the kernels' rounding: logits within 1e-5 and gradients
 * within 1e-5 of each tensor's largest entry + 1e-7 (measured 2026-12-04: at most 1.2e-7
 * absolute, 3e-7 relative; the key biases' gradients are 0 up to rounding, 3e-13).
 */
import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import { testBackend } from "./_test_backend.ts";
import { createBertClassifier } from "./bert.ts";
import { makeBatch } from "./_test_util.ts";
import { fusedKernelsActive, withFusedKernels } from "../backend/mod.ts";

await testBackend();

Deno.test("BERT: a training step fused and unfused agrees (padding, dropout, gradients)", () => {
  assert.ok(fusedKernelsActive(), "the fused kernels should be on by default on wasm");
  const config = {
    vocab_size: 60,
    hidden_size: 24, // 2 heads of 12: the attention products take the fused bmm (n % 4 = 0)
    num_hidden_layers: 2,
    num_attention_heads: 2,
    intermediate_size: 40,
    max_position_embeddings: 16,
    num_labels: 3,
  };
  const m = createBertClassifier(config, { seed: 4 });
  const rows = [[2, 7, 9, 11, 3], [2, 5, 3], [2, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 3]];
  const batch = makeBatch(rows); // padded to 12: the first two rows have masked keys
  const vars = [...m.params.values()];
  const weights = tf.tensor([[1, -2, 0.5], [0.3, 1, -1], [2, 0, 1]]);
  const forward = () => m.forward(batch, { training: true, seed: 9 }).logits; // same masks
  const step = () => ({
    logits: forward(),
    grads: tf.variableGrads(() => tf.sum(tf.mul(forward(), weights)), vars).grads,
  });
  try {
    const on = withFusedKernels(true, step), off = withFusedKernels(false, step);
    const worst = (a: tf.Tensor, b: tf.Tensor) => {
      const x = a.dataSync(), y = b.dataSync();
      let d = 0, scale = 1e-12;
      for (let i = 0; i < x.length; i++) {
        d = Math.max(d, Math.abs(x[i] - y[i]));
        scale = Math.max(scale, Math.abs(y[i]));
      }
      return { d, scale };
    };
    const l = worst(on.logits, off.logits);
    assert.ok(l.d <= 1e-5, `logits differ by ${l.d}`);
    assert.equal(Object.keys(on.grads).length, vars.length);
    for (const [name, g] of Object.entries(on.grads)) {
      const { d, scale } = worst(g, off.grads[name]);
      assert.ok(d <= 1e-5 * scale + 1e-7, `${name}: gradient differs by ${d} (largest ${scale})`);
    }
    tf.dispose([
      weights,
      on.logits,
      off.logits,
      ...Object.values(on.grads),
      ...Object.values(off.grads),
    ]);
  } finally {
    m.dispose();
  }
});
