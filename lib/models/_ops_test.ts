import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import { testBackend } from "./_test_backend.ts";
import {
  bmm,
  dropout,
  embeddingLookup,
  geluErf,
  layerNorm,
  linear,
  maskedSoftmax,
} from "./_ops.ts";
import { lstmSequence } from "./_lstm_sequence.ts";
import { Prng } from "../random/mod.ts";
import { fusedKernelsActive, withFusedKernels } from "../backend/mod.ts";

await testBackend();

function close(a: tf.Tensor, b: tf.Tensor, tol: number, what: string): void {
  assert.deepEqual(a.shape, b.shape, `${what}: shape`);
  const x = a.dataSync(), y = b.dataSync();
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    worst = Math.max(worst, Math.abs(x[i] - y[i]) / (1e-3 + Math.abs(y[i])));
  }
  assert.ok(worst < tol, `${what}: max relative error ${worst} >= ${tol}`);
}

/** Compares value and gradients of `fast` against an autodiff reference on the same inputs. */
function sameGrads(
  fast: (...x: tf.Tensor[]) => tf.Tensor,
  ref: (...x: tf.Tensor[]) => tf.Tensor,
  xs: tf.Tensor[],
  what: string,
  tol = 1e-3,
) {
  tf.tidy(() => {
    // random projection of the output
    const w = tf.randomNormal(fast(...xs).shape, 0, 1, "float32", 7);
    const gf = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(fast(...a), w)));
    const gr = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(ref(...a), w)));
    close(fast(...xs), ref(...xs), tol, `${what} value`);
    const a = gf(xs), b = gr(xs);
    a.forEach((g, i) => close(g, b[i], tol, `${what} grad ${i}`));
  });
}

Deno.test("linear and bmm match matMul values and gradients", () => {
  const x = tf.randomNormal([3, 5, 4], 0, 1, "float32", 1),
    w = tf.randomNormal([4, 6], 0, 1, "float32", 2),
    b = tf.randomNormal([6], 0, 1, "float32", 3);
  sameGrads(
    (x, w, b) => linear(x, w, b),
    (x, w, b) => tf.add(tf.matMul(tf.reshape(x, [15, 4]), w).reshape([3, 5, 6]), b),
    [x, w, b],
    "linear",
  );
  sameGrads(
    (x, w) => linear(x, w, null),
    (x, w) => tf.matMul(tf.reshape(x, [15, 4]), w).reshape([3, 5, 6]),
    [x, w],
    "linear no bias",
  );
  const a4 = tf.randomNormal([2, 3, 5, 4], 0, 1, "float32", 4),
    b4 = tf.randomNormal([2, 3, 4, 6], 0, 1, "float32", 5);
  sameGrads((a, b) => bmm(a, b), (a, b) => tf.matMul(a, b), [a4, b4], "bmm");
  assert.throws(() => linear(x, tf.zeros([5, 6]), null), /does not match weight/);
  tf.dispose([x, w, b, a4, b4]);
});

Deno.test("layerNorm and geluErf match autodiff references", () => {
  const x = tf.randomNormal([4, 3, 8], 2, 3, "float32", 1),
    g = tf.randomNormal([8], 1, 0.5, "float32", 2),
    b = tf.randomNormal([8], 0, 1, "float32", 3);
  const ref = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), g), b);
  };
  sameGrads((x, g, b) => layerNorm(x, g, b, 1e-5), ref, [x, g, b], "layerNorm");
  sameGrads(
    (x) => geluErf(x),
    (x) => tf.mul(tf.mul(0.5, x), tf.add(1, tf.erf(tf.div(x, Math.SQRT2)))),
    [x],
    "gelu",
  );
  // known values: gelu(1) = 0.8413447, gelu(-1) = -0.1586553
  const v = geluErf(tf.tensor1d([1, -1, 0])).dataSync();
  assert.ok(Math.abs(v[0] - 0.8413447) < 1e-5 && Math.abs(v[1] + 0.1586553) < 1e-5 && v[2] === 0);
  tf.dispose([x, g, b]);
});

Deno.test("embeddingLookup gradient sums repeated ids (scatterND, no UnsortedSegmentSum)", () => {
  const table = tf.randomNormal([5, 3], 0, 1, "float32", 1);
  const ids = tf.tensor1d([1, 3, 1, 0], "int32");
  const g = tf.grad((t: tf.Tensor) => tf.sum(embeddingLookup(t, ids)))(table);
  assert.deepEqual(Array.from(g.dataSync()), [1, 1, 1, 2, 2, 2, 0, 0, 0, 1, 1, 1, 0, 0, 0]);
  tf.dispose([table, ids, g]);
});

Deno.test("dropout is seeded, scaled and keeps about 1 - rate", () => {
  const x = tf.ones([1000]);
  const a = dropout(x, 0.25, Prng.fromSeed(5)).dataSync(),
    b = dropout(x, 0.25, Prng.fromSeed(5)).dataSync();
  const c = dropout(x, 0.25, Prng.fromSeed(6)).dataSync();
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  const kept = a.filter((v) => v > 0);
  assert.ok(kept.every((v) => Math.abs(v - 4 / 3) < 1e-6));
  assert.ok(Math.abs(kept.length / 1000 - 0.75) < 0.05, `kept ${kept.length}`);
  assert.equal(dropout(x, 0.25, null), x);
  x.dispose();
});

Deno.test("lstmSequence matches a step-by-step autodiff LSTM, including masked steps", () => {
  const S = 4, B = 3, G = 2;
  const X = tf.randomNormal([S, B, 4 * G], 0, 1, "float32", 1),
    W = tf.randomNormal([G, 4 * G], 0, 0.5, "float32", 2);
  const mask = new Float32Array(S * B * G).map((
    _,
    i,
  ) => (Math.floor(i / G) % B === 2 && Math.floor(i / (B * G)) >= 2 ? 0 : 1));
  const M = tf.tensor3d(mask, [S, B, G]);
  const ref = (X: tf.Tensor, W: tf.Tensor) => {
    let h: tf.Tensor = tf.zeros([B, G]), c: tf.Tensor = tf.zeros([B, G]);
    const ys = [];
    for (let t = 0; t < S; t++) {
      const a = tf.add(
        tf.reshape(tf.slice(X, [t, 0, 0], [1, B, 4 * G]), [B, 4 * G]),
        tf.matMul(h as tf.Tensor2D, W as tf.Tensor2D),
      );
      const [i, f, g, o] = tf.split(a, 4, 1);
      const cn = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
      const hn = tf.mul(tf.sigmoid(o), tf.tanh(cn));
      const m = tf.reshape(tf.slice(M, [t, 0, 0], [1, B, G]), [B, G]);
      c = tf.add(tf.mul(m, cn), tf.mul(tf.sub(1, m), c));
      h = tf.add(tf.mul(m, hn), tf.mul(tf.sub(1, m), h));
      ys.push(tf.mul(m, hn));
    }
    return tf.stack(ys);
  };
  sameGrads(
    (X, W) => lstmSequence(X as tf.Tensor3D, W as tf.Tensor2D, M),
    ref,
    [X, W],
    "lstmSequence",
  );
  tf.dispose([X, W, M]);
});

Deno.test("layerNorm and geluErf: the fused wasm kernels match the tfjs composition", async () => {
  assert.ok(fusedKernelsActive(), "the fused kernels should be on by default on wasm");
  const cases: [string, (...x: tf.Tensor[]) => tf.Tensor, tf.Tensor[]][] = [
    ["layerNorm [4, 9, 64]", (x, g, b) => layerNorm(x, g, b, 1e-12), [
      tf.randomNormal([4, 9, 64], 0, 3, "float32", 11),
      tf.randomNormal([64], 1, 0.2, "float32", 12),
      tf.randomNormal([64], 0, 0.2, "float32", 13),
    ]],
    ["layerNorm [5, 7] (tails)", (x, g, b) => layerNorm(x, g, b, 1e-5), [
      tf.randomNormal([5, 7], 0, 1, "float32", 14),
      tf.randomNormal([7], 1, 0.2, "float32", 15),
      tf.randomNormal([7], 0, 0.2, "float32", 16),
    ]],
    ["geluErf [3, 257]", (x) => geluErf(x), [tf.randomNormal([3, 257], 0, 3, "float32", 17)]],
    ["bmm [2, 3, 8, 12] x [2, 3, 12, 8]", (a, b) => bmm(a, b), [
      tf.randomNormal([2, 3, 8, 12], 0, 1, "float32", 19),
      tf.randomNormal([2, 3, 12, 8], 0, 1, "float32", 20),
    ]],
  ];
  for (const [what, f, xs] of cases) {
    const w = tf.randomNormal(f(...xs).shape, 0, 1, "float32", 7);
    const both = [true, false].map((on) =>
      withFusedKernels(on, () => {
        const out = f(...xs);
        const grads = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(f(...a), w)))(xs);
        return [out, ...grads];
      })
    );
    both[0].forEach((t, i) =>
      close(t, both[1][i], 5e-4, `${what} ${i ? `grad ${i - 1}` : "value"}`)
    );
    tf.dispose([...xs, w, ...both.flat()]);
  }
  // the fused path really is a different kernel: one per call in the profile
  const x = tf.randomNormal([2, 8], 0, 1, "float32", 18);
  const names = (on: boolean) =>
    withFusedKernels(on, () => tf.profile(() => geluErf(x)).then((p) => p.kernelNames));
  const fused = await names(true);
  const stock = await names(false);
  assert.deepEqual(fused.filter((n) => n !== ""), ["RosearchGelu"]); // "": the customGrad
  assert.ok(stock.includes("Erf"), `stock kernels: ${stock}`);
  const y = tf.randomNormal([2, 8, 4], 0, 1, "float32", 21);
  const bmmKernels = await withFusedKernels(
    true,
    () => tf.profile(() => bmm(tf.reshape(x, [2, 1, 8]), y)).then((p) => p.kernelNames),
  );
  assert.ok(bmmKernels.includes("RosearchBatchMatMul"), `bmm kernels: ${bmmKernels}`);
  y.dispose();
  x.dispose();
});

Deno.test("dropout: the fused kernel gives the JS loop's masks, gradient and stream", () => {
  const x = tf.randomNormal([3, 5, 67], 0, 2, "float32", 23);
  const w = tf.randomNormal([3, 5, 67], 0, 1, "float32", 24);
  const both = [true, false].map((on) =>
    withFusedKernels(on, () => {
      const rng = Prng.fromSeed(8);
      const y1 = dropout(x, 0.1, rng), y2 = dropout(x, 0.3, rng);
      const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(dropout(a, 0.1, rng), w)))(x);
      return { ys: [y1, y2, g], next: rng.nextUint32() };
    })
  );
  for (let i = 0; i < 3; i++) {
    assert.deepEqual(both[0].ys[i].dataSync(), both[1].ys[i].dataSync(), `output ${i}`);
  }
  assert.equal(both[0].next, both[1].next, "the generator continues the same stream");
  tf.dispose([x, w, ...both.flatMap((b) => b.ys)]);
});

Deno.test("maskedSoftmax: fused and composite agree in value and gradient, padded keys 0", () => {
  const scores = tf.randomNormal([2, 2, 6, 6], 0, 3, "float32", 25);
  const mask = tf.tensor([0, 0, 0, -1e9, -1e9, -1e9, 0, 0, 0, 0, 0, -1e9], [2, 1, 1, 6]);
  const w = tf.randomNormal([2, 2, 6, 6], 0, 1, "float32", 26);
  const both = [true, false].map((on) =>
    withFusedKernels(on, () => [
      maskedSoftmax(scores, mask),
      tf.grad((x: tf.Tensor) => tf.sum(tf.mul(maskedSoftmax(x, mask), w)))(scores),
    ])
  );
  close(both[0][0], both[1][0], 1e-5, "maskedSoftmax value");
  close(both[0][1], both[1][1], 1e-4, "maskedSoftmax grad");
  const p = both[0][0].dataSync();
  for (let q = 0; q < 6; q++) assert.equal(p[q * 6 + 4], 0, "a padded key in batch row 0");
  tf.dispose([scores, mask, w, ...both.flat()]);
});
