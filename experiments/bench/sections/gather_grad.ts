/** The three ways to give tf.gather a gradient on wasm, on a BERT-sized embedding table. */
import * as tf from "@tensorflow/tfjs";
import {
  type Fix,
  gatherGradFix,
  gatherGradOneHotFix,
  gatherGradScatterFix,
  gatherKernelFix,
  installWasmFixes,
  segmentSumKernelFix,
  uninstallWasmFixes,
} from "../../../lib/backend/mod.ts";
import { type BenchRow, type BenchSection, timeMedian } from "./types.ts";

export const gatherGradSection: BenchSection = {
  name: "gather_grad",
  description: "embedding lookup (fast forward) + gradient, 30522x128 table, 32x64 ids: " +
    "kernel vs scatterND vs one-hot",
  run(ctx) {
    if (ctx.backend.backend !== "wasm") return Promise.resolve([]);
    const table = tf.randomNormal([30522, 128]);
    const ids = tf.randomUniformInt([32, 64], 0, 30522);
    const dy = tf.randomNormal([32, 64, 128]);
    const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids), dy)));
    const rows: BenchRow[] = [];
    const fast = [segmentSumKernelFix, gatherGradFix, gatherGradScatterFix];
    const times = new Map<Fix, number[]>(fast.map((f) => [f, []]));
    uninstallWasmFixes();
    gatherKernelFix.install(); // fast forward lookup so the gradient dominates the timing
    try {
      // Round robin so that load from other processes hits every variant alike.
      for (let round = 0; round < (ctx.quick ? 5 : 15); round++) {
        for (const fix of fast) {
          fix.install();
          times.get(fix)!.push(timeMedian(() => grad(table).dispose(), { warmup: 1, repeats: 1 }));
          fix.uninstall();
        }
      }
      gatherGradOneHotFix.install();
      const oneHotMs = timeMedian(() => grad(table).dispose(), {
        warmup: 1,
        repeats: ctx.quick ? 1 : 3,
      });
      gatherGradOneHotFix.uninstall();
      for (const fix of fast) {
        const ts = times.get(fix)!.sort((a, b) => a - b);
        rows.push({
          section: "gather_grad",
          name: fix.name,
          value: ts[ts.length >> 1],
          unit: "ms",
          note: fix.description,
        });
      }
      rows.push({
        section: "gather_grad",
        name: gatherGradOneHotFix.name,
        value: oneHotMs,
        unit: "ms",
        note: gatherGradOneHotFix.description,
      });
    } finally {
      gatherKernelFix.uninstall();
      installWasmFixes();
      tf.dispose([table, ids, dy]);
    }
    return Promise.resolve(rows);
  },
};
