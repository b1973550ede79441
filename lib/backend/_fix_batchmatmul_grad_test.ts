import * as tf from "@tensorflow/tfjs";
import assert from "node:assert/strict";
import { Prng } from "../random/mod.ts";
import { assertMatchesCpu, randn, relErr, run } from "./_test_util.ts";
import { sumToShape } from "./_fix_batchmatmul_grad.ts";

const prng = Prng.fromSeed(7);

Deno.test(
  "BatchMatMul gradient fix matches cpu stock: ranks 2-4, every transpose flag",
  async () => {
    const cases: [number[], number[]][] = [
      [[5, 7], [7, 3]],
      [[4, 5, 7], [4, 7, 3]],
      [[2, 3, 5, 7], [2, 3, 7, 3]],
      [[32, 6], [6, 9]],
    ];
    for (const [sa, sb] of cases) {
      for (const tA of [false, true]) {
        for (const tB of [false, true]) {
          const r = sa.length;
          const swap = (s: number[]) => [...s.slice(0, r - 2), s[r - 1], s[r - 2]];
          const a = randn(prng, tA ? swap(sa) : sa), b = randn(prng, tB ? swap(sb) : sb);
          await assertMatchesCpu(
            `matMul ${sa}x${sb} tA=${tA} tB=${tB}`,
            (x, y) => tf.matMul(x, y, tA, tB),
            [a, b],
          );
        }
      }
    }
  },
);

Deno.test(
  "BatchMatMul gradient fix reduces broadcast batch axes (rank 4 x rank 3, x rank 2)",
  async () => {
    const cases: [number[], number[], number[]][] = [
      // a shape, b shape, tile of b (after expanding to a's rank) for the cpu reference
      [[2, 3, 5, 4], [3, 4, 6], [2, 1, 1, 1]],
      [[2, 3, 5, 4], [1, 3, 4, 6], [2, 1, 1, 1]],
      [[4, 5, 7], [7, 3], [4, 1, 1]],
    ];
    for (const [sa, sb, tile] of cases) {
      const a = randn(prng, sa), b = randn(prng, sb);
      const expand = (y: tf.Tensor) => {
        let e = y;
        while (e.rank < sa.length) e = tf.expandDims(e, 0);
        return tf.tile(e, tile);
      };
      await assertMatchesCpu(`broadcast ${sa}x${sb}`, (x, y) => tf.matMul(x, y), [a, b], {
        reference: (x, y) => tf.matMul(x, expand(y)),
      });
    }
  },
);

Deno.test("the comparison can fail: a wrong gradient is detected", async () => {
  const a = randn(prng, [4, 5]), b = randn(prng, [5, 3]);
  const want = await run("cpu", false, (x, y) => tf.matMul(x, y), [a, b]);
  const wrong = await run("cpu", false, (x, y) => tf.matMul(tf.mul(x, 1.001), y), [a, b]);
  assert.ok(relErr(wrong.grads[1], want.grads[1]) > 1e-4);
});

Deno.test("sumToShape sums broadcast axes only", () => {
  tf.tidy(() => {
    const g = tf.ones([2, 3, 4]);
    assert.deepEqual(sumToShape(g, [3, 4]).arraySync(), tf.fill([3, 4], 2).arraySync());
    assert.deepEqual(sumToShape(g, [1, 3, 1]).shape, [1, 3, 1]);
    assert.deepEqual(sumToShape(g, [1, 3, 1]).dataSync()[0], 8);
    assert.equal(sumToShape(g, [2, 3, 4]), g);
  });
});
