/**
 * Micro-benchmark behind the choice of convolution in `lib/search_space/_ops/conv.ts` (run:
 * `deno run --allow-read=. --allow-env=ROSEARCH_BACKEND experiments/bench/conv_ops.ts`).
 * Compares, on the wasm backend, for x [32, 48, H] and kernel k:
 *   - full conv with tf.conv1d (forward only: wasm has no Conv2DBackpropFilter kernel,
 *     so its filter gradient cannot train here),
 *   - full conv as im2col (k shifted copies concatenated, one matmul [B*S, k*H] x [k*H, H]),
 *   - depthwise-separable as k shifted multiply-adds + one pointwise matmul,
 *   - depthwise with tf.depthwiseConv2d + pointwise (forward only, no wasm backprop kernels).
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { initBackend } from "../../lib/backend/mod.ts";
import { shiftSeq } from "../../lib/search_space/tfjs.ts";

await initBackend({ prefer: "wasm" }); // wasm + the project's gradient fixes
if (tf.getBackend() !== "wasm") await tf.setBackend("wasm"); // e.g. ROSEARCH_BACKEND forced another

function time(f: () => tf.Tensor, repeats = 20): number {
  // tf.tidy walks its return value, so returning a big TypedArray from it is slow: return the
  // tensor, read it outside, dispose.
  const run = () => {
    const y = tf.tidy(f);
    y.dataSync();
    y.dispose();
  };
  for (let i = 0; i < 3; i++) run();
  const ts: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    run();
    ts.push(performance.now() - t0);
  }
  ts.sort((a, b) => a - b);
  return ts[Math.floor(ts.length / 2)];
}

const B = 32, S = 48;
for (const H of [128, 256]) {
  for (const k of [3, 7]) {
    const x = tf.randomNormal([B, S, H]) as tf.Tensor3D;
    const wFull = tf.randomNormal([k, H, H]) as tf.Tensor3D;
    const wIm2col = tf.reshape(wFull, [k * H, H]) as tf.Tensor2D;
    const wDw = tf.randomNormal([k, H]) as tf.Tensor2D;
    const wPw = tf.randomNormal([H, H]) as tf.Tensor2D;
    const half = Math.floor(k / 2);
    const conv1d = () => tf.conv1d(x, wFull, 1, "same");
    const im2col = () => {
      const cols = [];
      for (let t = 0; t < k; t++) cols.push(shiftSeq(x, t - half));
      const c = tf.reshape(tf.concat(cols, 2), [B * S, k * H]);
      return tf.matMul(c, wIm2col);
    };
    const sepShift = () => {
      let acc: tf.Tensor = tf.zerosLike(x);
      for (let t = 0; t < k; t++) {
        acc = tf.add(
          acc,
          tf.mul(shiftSeq(x, t - half), tf.reshape(tf.slice(wDw, [t, 0], [1, H]), [H])),
        );
      }
      return tf.matMul(tf.reshape(acc, [B * S, H]), wPw);
    };
    const sepNative = () => {
      const x4 = tf.reshape(x, [B, 1, S, H]) as tf.Tensor4D;
      const f = tf.reshape(wDw, [1, k, H, 1]) as tf.Tensor4D;
      const d = tf.depthwiseConv2d(x4, f, 1, "same");
      return tf.matMul(tf.reshape(d, [B * S, H]), wPw);
    };
    const gradOf = (fn: () => tf.Tensor, vars: tf.Tensor[]) => () => {
      const g = tf.grads((..._v: tf.Tensor[]) => tf.sum(fn()))(vars);
      return tf.addN(g.map((t) => tf.sum(t)));
    };
    const rows: Record<string, string> = {
      conv1d_fwd: time(conv1d).toFixed(2),
      im2col_fwd: time(im2col).toFixed(2),
      sep_shift_fwd: time(sepShift).toFixed(2),
      sep_native_fwd: time(sepNative).toFixed(2),
    };
    let conv1dGrad = "n/a";
    try {
      conv1dGrad = time(gradOf(conv1d, [x, wFull]), 5).toFixed(2);
    } catch (e) {
      conv1dGrad = `fails: ${(e as Error).message.slice(0, 80)}`;
    }
    rows.conv1d_grad = conv1dGrad;
    rows.im2col_grad = time(gradOf(im2col, [x, wIm2col]), 5).toFixed(2);
    rows.sep_shift_grad = time(gradOf(sepShift, [x, wDw, wPw]), 5).toFixed(2);
    console.log(`H=${H} k=${k} (ms, median)`, rows);
    tf.dispose([x, wFull, wIm2col, wDw, wPw]);
  }
}
