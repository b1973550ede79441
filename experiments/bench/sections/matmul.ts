/** Raw matmul throughput of the active backend (the roofline the training step is compared to). */
import * as tf from "@tensorflow/tfjs";
import { type BenchSection, timeMedian } from "./types.ts";

const SHAPES: [number, number, number][] = [[512, 512, 512], [1024, 128, 128]];

export const matmulSection: BenchSection = {
  name: "matmul",
  description: "GFLOP/s of tf.matMul, 512x512x512 and 1024x128x128 (median, warm-up excluded)",
  run(ctx) {
    const rows = SHAPES.map(([m, k, n]) => {
      const a = tf.randomNormal([m, k]), b = tf.randomNormal([k, n]);
      const ms = timeMedian(() => tf.matMul(a, b).dataSync(), {
        warmup: 3,
        repeats: ctx.quick ? 7 : 31,
      });
      tf.dispose([a, b]);
      return {
        section: "matmul",
        name: `matmul ${m}x${k}x${n}`,
        value: (2 * m * k * n) / ms / 1e6,
        unit: "GFLOP/s",
        note: `${ms.toFixed(3)} ms median`,
      };
    });
    return Promise.resolve(rows);
  },
};
