import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import assert from "node:assert/strict";
import { Prng } from "../random/mod.ts";
import { assertMatchesCpu, randint, randn } from "./_test_util.ts";
import { uninstallWasmFixes } from "./_fixes_install.ts";
import {
  gatherGradOneHotFix,
  gatherGradScatterFix,
  segmentSumKernelFix,
} from "./_fix_gather_grad.ts";

const prng = Prng.fromSeed(11);

Deno.test(
  "stock tf.gather gradient throws on wasm without the fix (the reason for the fix)",
  async () => {
    await tf.setBackend("wasm");
    uninstallWasmFixes();
    const table = tf.randomNormal([10, 4]);
    const ids = tf.tensor1d([1, 2, 2], "int32");
    assert.throws(
      () => tf.grad((t: tf.Tensor) => tf.sum(tf.gather(t, ids)))(table),
      /UnsortedSegmentSum/,
    );
    tf.dispose([table, ids]);
  },
);

Deno.test(
  "gather gradient fix matches cpu stock: embeddings, repeated ids, axis 1, batchDims 1",
  async () => {
    // Embedding lookup with many repeated ids: [V, H] table, [B, T] ids.
    await assertMatchesCpu("embedding", (t, i) => tf.gather(t, i), [
      randn(prng, [50, 8]),
      randint(prng, [6, 9], 50),
    ]);
    await assertMatchesCpu("rank-3 table", (t, i) => tf.gather(t, i), [
      randn(prng, [20, 3, 4]),
      randint(prng, [7], 20),
    ]);
    await assertMatchesCpu("axis 1", (t, i) => tf.gather(t, i, 1), [
      randn(prng, [3, 20, 4]),
      randint(prng, [5], 20),
    ]);
    await assertMatchesCpu(
      "batchDims 1",
      (t, i) => tf.gather(t, i, 1, 1),
      [randn(prng, [3, 20, 4]), randint(prng, [3, 5], 20)],
    );
  },
);

Deno.test("unsortedSegmentSum kernel for wasm matches cpu (drops out-of-range ids)", async () => {
  const x = randn(prng, [12, 5]);
  const ids = new Int32Array([0, 3, 3, 7, -1, 9, 2, 2, 2, 12, 0, 5]); // -1 and 12 are dropped by TF
  const f = () =>
    tf.tidy(() =>
      tf.unsortedSegmentSum(tf.tensor(x.data, x.shape), tf.tensor1d(ids, "int32"), 10).arraySync()
    );
  await tf.setBackend("cpu");
  const want = f();
  await tf.setBackend("wasm");
  segmentSumKernelFix.install();
  try {
    const got = f() as number[][];
    (want as number[][]).forEach((row, i) =>
      row.forEach((v, j) => assert.ok(Math.abs(v - got[i][j]) < 1e-5))
    );
  } finally {
    segmentSumKernelFix.uninstall();
  }
});

Deno.test(
  "measured-but-not-installed gather gradients (scatterND, one-hot) also match cpu",
  async () => {
    const inputs = [randn(prng, [40, 6]), randint(prng, [4, 7], 40)];
    await tf.setBackend("cpu");
    const want = tf.tidy(() =>
      tf.grad((t: tf.Tensor) =>
        tf.sum(tf.mul(tf.gather(t, tf.tensor(inputs[1].data, inputs[1].shape, "int32")), 1.5))
      )(
        tf.tensor(inputs[0].data, inputs[0].shape),
      ).dataSync()
    );
    await tf.setBackend("wasm");
    for (const fix of [gatherGradScatterFix, gatherGradOneHotFix]) {
      fix.install();
      try {
        const got = tf.tidy(() =>
          tf.grad((t: tf.Tensor) =>
            tf.sum(tf.mul(tf.gather(t, tf.tensor(inputs[1].data, inputs[1].shape, "int32")), 1.5))
          )(
            tf.tensor(inputs[0].data, inputs[0].shape),
          ).dataSync()
        );
        got.forEach((v, i) =>
          assert.ok(Math.abs(v - want[i]) < 1e-5, `${fix.name} at ${i}: ${v} vs ${want[i]}`)
        );
      } finally {
        fix.uninstall();
      }
    }
  },
);
