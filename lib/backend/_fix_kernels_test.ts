/** The wasm kernel fixes (gather rows, BatchMatMul paths, transpose, leading-axis sum) vs cpu. */
import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import { Prng } from "../random/mod.ts";
import { assertMatchesCpu, randint, randn } from "./_test_util.ts";
import { simplifyPermutation } from "./_fix_transpose_kernel.ts";
import { installWasmFixes, uninstallWasmFixes } from "./_fixes_install.ts";

const prng = Prng.fromSeed(13);

/** matMul with batch broadcasting done by tile (tfjs's stock gradient cannot broadcast). */
function broadcastRef(a: tf.Tensor, b: tf.Tensor, tA: boolean, tB: boolean): tf.Tensor {
  const batch = tf.backend_util.assertAndGetBroadcastShape(
    a.shape.slice(0, -2),
    b.shape.slice(0, -2),
  );
  const grow = (x: tf.Tensor) => {
    let e = x;
    while (e.rank < batch.length + 2) e = tf.expandDims(e, 0);
    const reps = [...batch.map((d, i) => (e.shape[i] === d ? 1 : d)), 1, 1];
    return reps.every((r) => r === 1) ? e : tf.tile(e, reps);
  };
  return tf.matMul(grow(a), grow(b), tA, tB);
}

Deno.test(
  "BatchMatMul kernel paths: flags, 3-D x 2-D fold, per-batch XNNPACK, broadcast fallback",
  async () => {
    const cases: [number[], number[], boolean, boolean][] = [
      [[64, 32], [32, 16], false, false],
      [[32, 64], [32, 16], true, false],
      [[64, 32], [16, 32], false, true],
      [[32, 64], [16, 32], true, true],
      [[4, 16, 32], [32, 8], false, false], // fold
      [[2, 3, 16, 8], [2, 3, 8, 16], false, false], // per batch
      [[2, 3, 16, 8], [2, 3, 16, 8], false, true], // per batch after explicit transpose
      [[2, 3, 5, 4], [3, 4, 6], false, false], // broadcast: original kernel
      [[1, 5, 4], [3, 4, 6], false, false], // batch of a is 1: original kernel
    ];
    for (const [sa, sb, tA, tB] of cases) {
      await assertMatchesCpu(`${sa} x ${sb} tA=${tA} tB=${tB}`, (a, b) => tf.matMul(a, b, tA, tB), [
        randn(prng, sa),
        randn(prng, sb),
      ], { reference: (a, b) => broadcastRef(a, b, tA, tB) });
    }
  },
);

Deno.test("transpose kernel: matrix-like permutations (and the others) match cpu", async () => {
  for (
    const [shape, perm] of [
      [[33, 70], [1, 0]],
      [[1, 40, 1, 9], [3, 2, 1, 0]],
      [[4, 6, 5], [2, 0, 1]],
      [[4, 6, 5], [0, 2, 1]],
      [[3, 4, 6, 5], [0, 2, 1, 3]],
    ] as [number[], number[]][]
  ) {
    await assertMatchesCpu(`transpose ${shape} ${perm}`, (x) => tf.transpose(x, perm), [
      randn(prng, shape),
    ]);
  }
  assert.deepEqual(simplifyPermutation([2, 3, 4], [2, 0, 1]), [[6, 4], [1, 0]]);
  assert.deepEqual(simplifyPermutation([1, 5, 1, 7], [3, 2, 1, 0]), [[5, 7], [1, 0]]);
});

Deno.test("sum kernel: leading axes (with keepDims), inner axes, all axes match cpu", async () => {
  for (
    const [shape, axes, keep] of [
      [[64, 12], [0], false],
      [[4, 8, 6], [0, 1], true],
      [[4, 8, 6], [1], false],
      [[4, 8, 6], [2], false],
      [[4, 8, 6], [0, 1, 2], false],
    ] as [number[], number[], boolean][]
  ) {
    await assertMatchesCpu(`sum ${shape} ${axes}`, (x) => tf.sum(x, axes, keep), [
      randn(prng, shape),
    ]);
  }
});

Deno.test(
  "sum and matMul kernels: one buffer seen in two shapes (reshape shares the id) matches cpu",
  async () => {
    // XNNPACK caches the right operand's packing per tensor id; before asRightOperand the second
    // shape reused the first one's packing (wrong sums, then "memory access out of bounds").
    await assertMatchesCpu("sum [2,5,16] over 0, then as [10,16] over 0", (x) =>
      tf.concat([
        tf.reshape(tf.sum(x, 0), [-1]),
        tf.sum(tf.reshape(x, [10, 16]), 0),
        tf.reshape(tf.sum(tf.reshape(x, [2, 80]), 0), [-1]),
      ]), [randn(prng, [2, 5, 16])]);
    await assertMatchesCpu("matMul with b as [2,80], then as [10,16]", (a, x) =>
      tf.concat([
        tf.reshape(tf.matMul(tf.slice(a, [0, 0], [3, 2]), tf.reshape(x, [2, 80])), [-1]),
        tf.reshape(tf.matMul(a, tf.reshape(x, [10, 16])), [-1]),
      ]), [randn(prng, [3, 10]), randn(prng, [2, 5, 16])]);
  },
);

Deno.test("gather kernel: rows copied, other axes fall back, bad index throws", async () => {
  await assertMatchesCpu("gather rows", (t, i) => tf.gather(t, i), [
    randn(prng, [30, 7]),
    randint(prng, [4, 5], 30),
  ]);
  await assertMatchesCpu("gather axis 1", (t, i) => tf.gather(t, i, 1), [
    randn(prng, [3, 30, 2]),
    randint(prng, [6], 30),
  ]);
  await tf.setBackend("wasm");
  installWasmFixes();
  try {
    const t = tf.zeros([5, 2]);
    assert.throws(() => tf.gather(t, tf.tensor1d([1, 5], "int32")), /index 5/);
    t.dispose();
  } finally {
    uninstallWasmFixes();
  }
});

Deno.test("kernel fixes leak no tensors or wasm memory over repeated calls", async () => {
  await tf.setBackend("wasm");
  installWasmFixes();
  try {
    const a = tf.randomNormal([2, 3, 16, 8]),
      b = tf.randomNormal([2, 3, 8, 16]),
      w = tf.randomNormal([16, 8]);
    const step = () =>
      tf.tidy(() => {
        const g = tf.grads((x: tf.Tensor, y: tf.Tensor) =>
          tf.sum(
            tf.matMul(tf.matMul(x, y), tf.transpose(tf.matMul(x, y, false, false), [0, 1, 3, 2])),
          )
        )([a, b]);
        return tf.sum(
          tf.add(
            tf.sum(g[0], [0, 1]),
            tf.transpose(tf.sum(tf.matMul(a, w, true, false), 0), [0, 2, 1]).reshape([-1]).slice(
              0,
              1,
            ),
          ),
        );
      });
    step().dispose();
    const before = tf.memory();
    for (let i = 0; i < 5; i++) step().dispose();
    const after = tf.memory();
    assert.equal(after.numTensors, before.numTensors);
    assert.equal(after.numBytes, before.numBytes);
    tf.dispose([a, b, w]);
  } finally {
    uninstallWasmFixes();
  }
});

Deno.test(
  "Identity kernel shares data without a copy and survives disposal of its input",
  async () => {
    await tf.setBackend("wasm");
    installWasmFixes();
    const before = tf.memory().numDataBuffers;
    const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const y = tf.clone(x); // Identity
    assert.equal(tf.memory().numDataBuffers - before, 1, "a clone on wasm adds no data buffer");
    x.dispose();
    assert.deepEqual([...y.dataSync()], [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(y.shape, [2, 3]);
    const v = tf.variable(y); // variables take their data through Identity-like sharing too
    y.dispose();
    v.assign(tf.tensor2d([[0, 0, 0], [0, 0, 1]]));
    assert.deepEqual([...v.dataSync()], [0, 0, 0, 0, 0, 1]);
    v.dispose();
    uninstallWasmFixes();
    const s = tf.clone(tf.tensor1d(["a", "b"], "string")); // strings keep the original kernel
    assert.deepEqual(s.dataSync(), ["a", "b"]);
  },
);
