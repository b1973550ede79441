/** Raw matmul throughput of the active backend (the roofline the training step is compared to). */
import * as tf from "@tensorflow/tfjs";
import { type BenchContext, type BenchSection, timeMedian } from "./types.ts";

const SHAPES: [number, number, number][] = [[512, 512, 512], [1024, 128, 128]];

export const matmulSection: BenchSection = {
  name: "matmul",
  description: "GFLOP/s of tf.matMul, 512x512x512 and 1024x128x128 (median, warm-up excluded)",
  run(ctx) {
    const rows = SHAPES.map(([m, k, n]) => {
      const gflops = matmulGflops(m, k, n, ctx.quick ? 7 : 31);
      const ms = (2 * m * k * n) / gflops / 1e6;
      return {
        section: "matmul",
        name: `matmul ${m}x${k}x${n}`,
        value: gflops,
        unit: "GFLOP/s",
        note: `${ms.toFixed(3)} ms median`,
      };
    });
    return Promise.resolve(rows);
  },
};

/**
 * tf.matMul m x k x n GFLOP/s: median of `repeats` timed calls after a warm-up, outputs disposed.
 */
export function matmulGflops(m: number, k: number, n: number, repeats: number): number {
  const a = tf.randomNormal([m, k]), b = tf.randomNormal([k, n]);
  const ms = timeMedian(() => {
    const c = tf.matMul(a, b);
    c.dataSync();
    c.dispose();
  }, { warmup: 3, repeats });
  tf.dispose([a, b]);
  return (2 * m * k * n) / ms / 1e6;
}

/**
 * The roofline a section's GFLOP/s is divided by: the best 512^3 matmul of this run, the matmul
 * section's and one measured now (after the section's own work has warmed the machine up), so
 * that a slow matmul moment cannot flatter a ratio. (On 2026-12-01 the first section measured
 * 25.5 GFLOP/s and the same call after the distillation steps 34.7.)
 */
export function matmulRoofline(ctx: BenchContext): { gflops: number; note: string } {
  const fromSection = ctx.results.get("matmul")?.find((r) => r.name === "matmul 512x512x512")
    ?.value;
  const now = matmulGflops(512, 512, 512, ctx.quick ? 5 : 15);
  const gflops = Math.max(now, fromSection ?? 0);
  return {
    gflops,
    note: `roofline ${
      gflops.toFixed(1)
    } GFLOP/s, the best 512^3 matmul of the run (matmul section ${
      fromSection?.toFixed(1) ?? "n/a"
    }, measured again here ${now.toFixed(1)})`,
  };
}
