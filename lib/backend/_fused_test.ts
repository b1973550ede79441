/**
 * The fused kernels against the tfjs compositions they replace, on wasm, on shapes with odd
 * sizes (tails of 1-3 lanes, rows not a multiple of 4), zero-size inputs and extreme values.
 * Tolerances: AdamW bit-identical (same element-wise f32 order); the sums (norm, row means)
 * within 1e-6 relative; LayerNorm within 2e-5 absolute per unit of output scale; GELU within
 * 2e-6 absolute + 2e-6 relative (the erf approximation, 1.5e-7, scaled by |x| / 2).
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import assert from "node:assert/strict";
import { Prng } from "../random/mod.ts";
import {
  FUSED_KERNEL_NAMES as K,
  fusedKernelsActive,
  installFusedKernels,
  uninstallFusedKernels,
  withFusedKernels,
} from "./_fused.ts";
import { backendMemory } from "./_fused_module.ts";

async function onWasm(): Promise<void> {
  await tf.setBackend("wasm");
  await tf.ready();
  const state = installFusedKernels();
  assert.ok(state.active, state.reason);
}

const prng = Prng.fromSeed(20);
function randn(shape: number[], scale = 1): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: n }, () => scale * prng.normal()), shape);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** max(1, max |x|) without spreading a large array onto the stack. */
const maxAbs = (xs: ArrayLike<number>) =>
  Array.from(xs).reduce((m, x) => Math.max(m, Math.abs(x)), 1);

const run = (name: string, inputs: tf.NamedTensorMap, attrs = {}) =>
  tf.engine().runKernel(name, inputs, attrs) as unknown as tf.Tensor | tf.Tensor[];

Deno.test("fused: the module runs on the wasm backend's own memory, and only on wasm", async () => {
  await onWasm();
  assert.ok(fusedKernelsActive());
  assert.ok(backendMemory(tf.backend()) instanceof WebAssembly.Memory);
  assert.match(String(backendMemory({ wasm: {} })), /no WebAssembly.Memory/);
  await tf.setBackend("cpu");
  assert.equal(fusedKernelsActive(), false);
  assert.match(installFusedKernels().reason, /backend cpu/);
  await onWasm();
  withFusedKernels(false, () => assert.equal(fusedKernelsActive(), false));
  assert.ok(fusedKernelsActive());
});

Deno.test("fused: sum of squares over several tensors: within 1e-6 of the f64 sum", async () => {
  await onWasm();
  for (const sizes of [[1], [3, 5, 7], [8, 9, 1027], [0, 4], [30522 * 64]]) {
    const xs = sizes.map((n) => randn([n]));
    const got = run(K.sumSquares, Object.fromEntries(xs.map((x, i) => [`x${i}`, x]))) as tf.Tensor;
    let exact = 0;
    for (const x of xs) for (const v of x.dataSync()) exact += v * v;
    const tfjs = tf.tidy(() => tf.addN(xs.map((x) => tf.sum(tf.square(x)))).dataSync()[0]);
    const g = got.dataSync()[0];
    const rel = Math.abs(g - exact) / Math.max(exact, 1);
    assert.ok(rel <= 1e-6, `sizes ${sizes}: ${g} vs f64 ${exact} (tfjs ${tfjs}): ${rel}`);
    tf.dispose([...xs, got]);
  }
  const empty = run(K.sumSquares, {}) as tf.Tensor;
  assert.equal(empty.dataSync()[0], 0);
  empty.dispose();
});

Deno.test("fused: AdamW is tf.train.adam + decoupled decay bit for bit (3 steps)", async () => {
  await onWasm();
  const shapes = [[5], [3, 7], [64], [2, 2, 3], [0]];
  const lrs = [1e-3, 7e-4, 3e-4];
  const init = shapes.map((s) => randn(s));
  const grads = lrs.map(() => shapes.map((s) => randn(s, 0.1)));
  const decayed = [true, false, true, false, true];
  const [b1, b2, eps, wd, scale] = [0.9, 0.999, 1e-6, 0.01, 0.37];
  // tfjs: decay by hand, then Adam on g * scale
  const ref = init.map((t, i) => tf.variable(t.clone(), true, `ref${i}`));
  const adam = tf.train.adam(1, b1, b2, eps);
  lrs.forEach((lr, step) => {
    tf.tidy(() => {
      ref.forEach((v, i) => decayed[i] && v.assign(tf.mul(v, 1 - lr * wd)));
      (adam as unknown as { learningRate: number }).learningRate = lr;
      adam.applyGradients(
        ref.map((v, i) => ({ name: v.name, tensor: tf.mul(grads[step][i], tf.scalar(scale)) })),
      );
    });
  });
  // fused: one kernel per step, moments updated in place
  let theta = init.map((t) => t.clone());
  const m = shapes.map((s) => tf.zeros(s)), v = shapes.map((s) => tf.zeros(s));
  let acc1 = Math.fround(b1), acc2 = Math.fround(b2);
  lrs.forEach((lr, step) => {
    const inputs: tf.NamedTensorMap = {};
    theta.forEach((t, i) => {
      inputs[`theta${i}`] = t;
      inputs[`g${i}`] = grads[step][i];
      inputs[`m${i}`] = m[i];
      inputs[`v${i}`] = v[i];
    });
    const out = run(K.adamW, inputs, {
      scale: Math.fround(scale),
      learningRate: lr,
      beta1: b1,
      beta2: b2,
      epsilon: eps,
      biasCorrection1: Math.fround(1 - acc1),
      biasCorrection2: Math.fround(1 - acc2),
      keep: decayed.map((d) => (d ? Math.fround(1 - lr * wd) : 1)),
    }) as tf.Tensor[];
    tf.dispose(theta);
    theta = out;
    acc1 = Math.fround(acc1 * Math.fround(b1));
    acc2 = Math.fround(acc2 * Math.fround(b2));
  });
  theta.forEach((t, i) => {
    assert.deepEqual(t.dataSync(), ref[i].dataSync(), `parameter ${i} [${shapes[i]}]`);
    assert.notDeepEqual(shapes[i][0] === 0 ? [1] : t.dataSync(), init[i].dataSync());
  });
  // the moments are in-place state: a shared one is refused
  const shared = tf.reshape(m[0], [5]); // wasm Reshape shares the data (refCount 2)
  assert.throws(
    () =>
      run(K.adamW, { theta0: theta[0], g0: grads[0][0], m0: m[0], v0: v[0] }, {
        scale: 1,
        learningRate: 1e-3,
        beta1: b1,
        beta2: b2,
        epsilon: eps,
        biasCorrection1: 0.1,
        biasCorrection2: 0.001,
        keep: [1],
      }),
    /m0 is shared \(2 references\)/,
  );
  assert.throws(
    () =>
      run(K.adamW, { theta0: theta[0], g0: grads[0][1], m0: m[1], v0: v[1] }, {
        scale: 1,
        learningRate: 1e-3,
        beta1: b1,
        beta2: b2,
        epsilon: eps,
        biasCorrection1: 0.1,
        biasCorrection2: 0.001,
        keep: [1],
      }),
    /theta0 and g0 have shapes \[5\] and \[3,7\]/,
  );
  tf.dispose([...init, ...grads.flat(), ...ref, ...theta, ...m, ...v, shared]);
  adam.dispose();
});

/** lib/models/_ops.ts layerNorm's composition, forward (its gradient: autodiff of it). */
function layerNormRef(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor, eps: number): tf.Tensor {
  return tf.tidy(() => {
    const axis = x.rank - 1;
    const xc = tf.sub(x, tf.mean(x, axis, true));
    const rstd = tf.rsqrt(tf.add(tf.mean(tf.square(xc), axis, true), eps));
    return tf.add(tf.mul(tf.mul(xc, rstd), g), b);
  });
}

Deno.test("fused: LayerNorm both ways matches the composition (odd sizes, extremes)", async () => {
  await onWasm();
  const cases: [number[], number][] = [[[3, 7], 1], [[2, 5, 64], 1], [[4, 1], 1], [[6, 6], 1e4], [[
    2,
    3,
    13,
  ], 1e-3], [[1024, 64], 1]];
  for (const [shape, scale] of cases) {
    const cols = shape[shape.length - 1];
    const x = randn(shape, scale), g = randn([cols]), b = randn([cols]);
    const dy = randn(shape);
    const [y, stats] = run(K.layerNorm, { x, gamma: g, beta: b }, { eps: 1e-12 }) as tf.Tensor[];
    const want = layerNormRef(x, g, b, 1e-12);
    const err = maxAbsDiff(y.dataSync(), want.dataSync());
    assert.ok(err <= 2e-5, `LayerNorm [${shape}] x${scale}: max error ${err}`);
    assert.deepEqual(stats.shape, [x.size / cols, 2]);
    // backward against autodiff of the composition
    const [dx, dg, db] = run(K.layerNormGrad, { dy, x, gamma: g, stats }) as tf.Tensor[];
    const ref = tf.grads((xi, gi, bi) => tf.sum(tf.mul(layerNormRef(xi, gi, bi, 1e-12), dy)))(
      [x, g, b],
    );
    for (
      const [name, got, w] of [["dx", dx, ref[0]], ["dgamma", dg, ref[1]], [
        "dbeta",
        db,
        ref[2],
      ]] as const
    ) {
      const wd = w.dataSync();
      const tol = 2e-5 * maxAbs(wd);
      const e = maxAbsDiff(got.dataSync(), wd);
      assert.ok(e <= tol, `LayerNorm grad ${name} [${shape}] x${scale}: max error ${e} > ${tol}`);
    }
    tf.dispose([x, g, b, dy, y, stats, want, dx, dg, db, ...ref]);
  }
  // a constant row: variance 0, output beta
  const x = tf.fill([2, 5], 3), g = tf.ones([5]), b = tf.range(0, 5);
  const [y, stats] = run(K.layerNorm, { x, gamma: g, beta: b }, { eps: 1e-5 }) as tf.Tensor[];
  assert.deepEqual(Array.from(y.dataSync()), [0, 1, 2, 3, 4, 0, 1, 2, 3, 4]);
  assert.throws(
    () => run(K.layerNorm, { x, gamma: tf.ones([4]), beta: b }, { eps: 1e-5 }),
    /gamma must be \[5\]/,
  );
  tf.dispose([x, g, b, y, stats]);
});

/** The composition of lib/models/_ops.ts geluErf (value and its closed-form derivative). */
function geluRef(x: tf.Tensor): [tf.Tensor, tf.Tensor] {
  return tf.tidy(() => {
    const c = tf.mul(0.5, tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
    const pdf = tf.mul(1 / Math.sqrt(2 * Math.PI), tf.exp(tf.mul(-0.5, tf.square(x))));
    return [tf.mul(x, c), tf.add(c, tf.mul(x, pdf))];
  });
}

Deno.test("fused: GELU and its derivative match the composition from -1e4 to 1e4", async () => {
  await onWasm();
  const special = [
    0,
    -0,
    1e-30,
    -1e-30,
    0.5,
    -0.5,
    3,
    -3,
    5.5,
    -5.5,
    9,
    -9,
    13,
    -13,
    50,
    -50,
    1e4,
    -1e4,
    3.4e38,
    -3.4e38,
  ];
  const grid = Array.from({ length: 4001 }, (_, i) => -10 + i * 0.005);
  for (const values of [special, grid, [0.7], [1, 2, 3]]) {
    const x = tf.tensor1d(values), dy = tf.onesLike(x);
    const y = run(K.gelu, { x }) as tf.Tensor, dx = run(K.geluGrad, { x, dy }) as tf.Tensor;
    const [wy, wdx] = geluRef(x);
    const [a, b, c, d] = [y.dataSync(), wy.dataSync(), dx.dataSync(), wdx.dataSync()];
    for (let i = 0; i < values.length; i++) {
      const tolY = 2e-6 + 2e-6 * Math.abs(b[i]);
      assert.ok(Math.abs(a[i] - b[i]) <= tolY, `gelu(${values[i]}) = ${a[i]}, tfjs ${b[i]}`);
      assert.ok(Math.abs(c[i] - d[i]) <= 4e-6, `gelu'(${values[i]}) = ${c[i]}, tfjs ${d[i]}`);
    }
    tf.dispose([x, dy, y, dx, wy, wdx]);
  }
});

Deno.test("fused: the kernels refuse non-float32 inputs with the input's name", async () => {
  await onWasm();
  const x = tf.tensor1d([1, 2, 3], "int32");
  assert.throws(() => run(K.gelu, { x }), /RosearchGelu: input x must be float32, got int32/);
  x.dispose();
});

Deno.test("fused: uninstalled, the kernel names are gone from the wasm backend", async () => {
  await onWasm();
  uninstallFusedKernels();
  try {
    assert.equal(fusedKernelsActive(), false);
    assert.equal(tf.getKernel(K.gelu, "wasm"), undefined);
  } finally {
    installFusedKernels();
  }
});

Deno.test(
  "fused: batched matmul equals tf.matMul to rounding on attention-like shapes",
  async () => {
    await onWasm();
    const cases: [number[], number[]][] = [
      [[32, 4, 32, 16], [32, 4, 16, 32]],
      [[2, 3, 5, 7], [2, 3, 7, 20]], // 16 + 4 columns, odd m and k
      [[3, 1, 4], [3, 4, 4]],
      [[1, 9, 1], [1, 1, 8]],
      [[2, 0, 3], [2, 3, 4]],
    ];
    for (const [sa, sb] of cases) {
      const a = randn(sa, 3), b = randn(sb, 3);
      const got = run(K.batchMatMul, { a, b }) as tf.Tensor;
      const want = tf.matMul(a, b);
      assert.deepEqual(got.shape, want.shape);
      const w = want.dataSync();
      const tol = 1e-5 * maxAbs(w);
      const e = maxAbsDiff(got.dataSync(), w);
      assert.ok(e <= tol, `[${sa}] x [${sb}]: max error ${e}`);
      tf.dispose([a, b, got, want]);
    }
    const a = randn([2, 3, 5]), b = randn([2, 5, 6]);
    assert.throws(() => run(K.batchMatMul, { a, b }), /n % 4 = 0, got \[2,3,5\] and \[2,5,6\]/);
    tf.dispose([a, b]);
  },
);

Deno.test("fused: dropout draws the JS loop's sfc32 stream, masks and products", async () => {
  await onWasm();
  for (const [n, rate] of [[1, 0.1], [7, 0.5], [1031, 0.1], [4096, 0.9], [3, 0]] as const) {
    const xs = Float32Array.from({ length: n }, () => prng.normal() * 1e30);
    const x = tf.tensor(xs);
    const seed = Prng.fromSeed(n * 31 + 7);
    const js = Prng.fromState(seed.state());
    const threshold = Math.floor(rate * 4294967296), scale = 1 / (1 - rate);
    const [y, mask, state] = run(K.dropout, { x }, {
      state: [...seed.state()],
      threshold,
      scale,
    }) as tf.Tensor[];
    const wantMask = new Float32Array(n);
    for (let i = 0; i < n; i++) wantMask[i] = js.nextUint32() >= threshold ? scale : 0;
    assert.deepEqual(mask.dataSync(), wantMask, `mask n=${n} rate=${rate}`);
    assert.deepEqual(y.dataSync(), xs.map((v, i) => Math.fround(v * wantMask[i])), `y n=${n}`);
    const after = Prng.fromSeed(0);
    after.setState(state.dataSync());
    assert.deepEqual(after.state(), js.state().map((w) => w >>> 0), `state n=${n}`);
    assert.equal(after.nextUint32(), js.nextUint32());
    tf.dispose([x, y, mask, state]);
  }
});

Deno.test("fused: masked softmax and its gradient match the composition (padding)", async () => {
  await onWasm();
  // [b, heads, s, s] with keys padded per row of the batch; s = 1, 7 (tails) and 32
  for (const [b, h, s] of [[2, 3, 7], [3, 2, 32], [1, 1, 1], [2, 1, 5]]) {
    const x = randn([b, h, s, s], 4);
    const keep = (bi: number, j: number) => j === 0 || (bi * 7 + j * 3) % 5 !== 0;
    const maskValues = Array.from({ length: b * s }, (_, i) => keep(Math.floor(i / s), i % s));
    const mask = tf.tensor(maskValues.map((k) => (k ? 0 : -1e9)), [b, 1, 1, s]);
    const dy = randn([b, h, s, s]);
    const y = run(K.maskedSoftmax, { x, mask }) as tf.Tensor;
    const want = tf.softmax(tf.add(x, mask));
    const dx = run(K.softmaxGrad, { dy, y }) as tf.Tensor;
    const wantDx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.softmax(tf.add(t, mask)), dy)))(x);
    const [yv, wv] = [y.dataSync(), want.dataSync()];
    assert.ok(maxAbsDiff(yv, wv) <= 1e-6, `softmax [${b},${h},${s},${s}]: ${maxAbsDiff(yv, wv)}`);
    for (let i = 0; i < yv.length; i++) {
      if (!maskValues[Math.floor(i / (h * s * s)) * s + (i % s)]) {
        assert.equal(yv[i], 0, `a padded key gets probability ${yv[i]}`);
      }
    }
    const e = maxAbsDiff(dx.dataSync(), wantDx.dataSync());
    assert.ok(e <= 1e-6 * maxAbs(dy.dataSync()), `softmax grad [${b},${h},${s},${s}]: ${e}`);
    tf.dispose([x, mask, dy, y, want, dx, wantDx]);
  }
  // extremes: a row of equal scores is uniform; huge scores do not overflow
  const x = tf.tensor([[1e30, 1e30, -1e30, 3], [0, 0, 0, 0]]);
  const y = run(K.maskedSoftmax, { x, mask: tf.zeros([4]) }) as tf.Tensor;
  assert.deepEqual(Array.from(y.dataSync()), [0.5, 0.5, 0, 0, 0.25, 0.25, 0.25, 0.25]);
  assert.throws(
    () => run(K.maskedSoftmax, { x, mask: tf.zeros([3]) }),
    /mask of b x s \(or s\) values ending in s, got x \[2,4\] and mask \[3\]/,
  );
  tf.dispose([x, y]);
});

Deno.test("fused: depthwise 1-D convolution and both gradients match a plain loop", async () => {
  await onWasm();
  // odd channel counts (tails), dilation, a sequence shorter than the kernel's reach
  for (const [b, s, c, taps, dil] of [[2, 9, 6, 3, 1], [1, 5, 8, 7, 2], [3, 4, 3, 5, 3]]) {
    const x = randn([b, s, c]), w = randn([taps, c]), dy = randn([b, s, c]);
    const [xv, wv, dyv] = [x.dataSync(), w.dataSync(), dy.dataSync()];
    const half = Math.floor(taps / 2);
    const at = (v: ArrayLike<number>, bi: number, t: number, ch: number) =>
      t >= 0 && t < s ? v[(bi * s + t) * c + ch] : 0;
    const want = new Float32Array(b * s * c), wantDx = new Float32Array(b * s * c);
    const wantDw = new Float64Array(taps * c);
    for (let bi = 0; bi < b; bi++) {
      for (let t = 0; t < s; t++) {
        for (let ch = 0; ch < c; ch++) {
          let y = 0, dx = 0;
          for (let j = 0; j < taps; j++) {
            const off = (j - half) * dil;
            y += at(xv, bi, t + off, ch) * wv[j * c + ch];
            dx += at(dyv, bi, t - off, ch) * wv[j * c + ch];
            wantDw[j * c + ch] += dyv[(bi * s + t) * c + ch] * at(xv, bi, t + off, ch);
          }
          want[(bi * s + t) * c + ch] = y;
          wantDx[(bi * s + t) * c + ch] = dx;
        }
      }
    }
    const y = run(K.depthwiseConv, { x, w }, { dilation: dil, flip: false }) as tf.Tensor;
    const dx = run(K.depthwiseConv, { x: dy, w }, { dilation: dil, flip: true }) as tf.Tensor;
    const dw = run(K.depthwiseConvFilterGrad, { x, dy }, { taps, dilation: dil }) as tf.Tensor;
    const what = `[${b},${s},${c}] taps ${taps} dilation ${dil}`;
    assert.ok(maxAbsDiff(y.dataSync(), want) <= 1e-5, `${what} y`);
    assert.ok(maxAbsDiff(dx.dataSync(), wantDx) <= 1e-5, `${what} dx`);
    assert.ok(maxAbsDiff(dw.dataSync(), wantDw) <= 1e-4, `${what} dw`);
    assert.deepEqual(dw.shape, [taps, c]);
    tf.dispose([x, w, dy, y, dx, dw]);
  }
  const x = tf.zeros([2, 3, 4]);
  assert.throws(
    () => run(K.depthwiseConv, { x, w: tf.zeros([3, 5]) }, { dilation: 1 }),
    /channels/,
  );
  assert.throws(() => run(K.depthwiseConv, { x, w: tf.zeros([3, 4]) }, { dilation: 0 }), />= 1/);
  x.dispose();
});
