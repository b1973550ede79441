/**
 * The small Transformer's training step (experiments/bench/_tiny_transformer.ts: 2 layers,
 * hidden 128, 4 heads, FF 512, batch 32 x 32 tokens, vocab 30522, Adam) with tfjs's stock
 * gradients and kernels, then with the wasm fixes, in the same process.
 *
 * "Stock" keeps only the UnsortedSegmentSum kernel (without it the embedding gradient throws on
 * wasm). FLOPs are counted analytically: forward matmul FLOPs (see forwardMatmulFlops) times 3
 * for forward + backward (each matmul has two backward matmuls of the same size); element-wise
 * ops, the embedding and Adam are not counted, so the GFLOP/s figure is a lower bound on work.
 */
import * as tf from "@tensorflow/tfjs";
import {
  installWasmFixes,
  segmentSumKernelFix,
  uninstallWasmFixes,
} from "../../../lib/backend/mod.ts";
import { createTinyModel, tinyBatch, tinyTrainer, trainStepFlops } from "../_tiny_transformer.ts";
import { type BenchRow, type BenchSection, timeMedian } from "./types.ts";
import { matmulRoofline } from "./matmul.ts";

export const trainStepSection: BenchSection = {
  name: "train_step",
  description:
    "small Transformer training step: stock vs fixed gradients, GFLOP/s and share of matmul " +
    "roofline",
  run(ctx) {
    const model = createTinyModel({}, { seed: 1 });
    const { ids, labels } = tinyBatch(model.config);
    const trainer = tinyTrainer(model);
    const flops = trainStepFlops(model.config);
    const rows: BenchRow[] = [];
    const row = (name: string, value: number, unit: string, note?: string) =>
      rows.push({ section: "train_step", name, value, unit, ...(note ? { note } : {}) });
    const measure = () =>
      timeMedian(() => trainer.step(ids, labels), {
        warmup: ctx.quick ? 1 : 2,
        repeats: ctx.quick ? 3 : 7,
      });
    const fixed = ctx.backend.backend === "wasm";
    try {
      let stockMs = NaN;
      if (fixed) {
        uninstallWasmFixes();
        segmentSumKernelFix.install();
        stockMs = measure();
        segmentSumKernelFix.uninstall();
        installWasmFixes();
      }
      const fixedMs = measure();
      const forwardMs = timeMedian(() => tf.tidy(() => model.loss(ids, labels).dataSync()), {
        warmup: 1,
        repeats: ctx.quick ? 3 : 7,
      });
      const before = tf.memory().numTensors;
      trainer.step(ids, labels);
      const leaked = tf.memory().numTensors - before;
      const gflops = flops / fixedMs / 1e6;
      if (fixed) {
        row("step ms, stock gradients", stockMs, "ms", "only the UnsortedSegmentSum kernel added");
        row("GFLOP/s, stock", flops / stockMs / 1e6, "GFLOP/s");
      }
      row(
        `step ms, ${fixed ? "fixed" : ctx.backend.backend}`,
        fixedMs,
        "ms",
        fixed ? ctx.backend.fixes.join(", ") : undefined,
      );
      row(
        `GFLOP/s, ${fixed ? "fixed" : ctx.backend.backend}`,
        gflops,
        "GFLOP/s",
        `${(flops / 1e9).toFixed(3)} GFLOP per step (3 x forward matmuls)`,
      );
      if (fixed) row("speed-up fixed vs stock", stockMs / fixedMs, "x");
      row("forward ms", forwardMs, "ms");
      const roof = matmulRoofline(ctx);
      row("step GFLOP/s / matmul 512^3 GFLOP/s", gflops / roof.gflops, "ratio", roof.note);
      const mm2 = ctx.results.get("matmul")?.find((r) => r.name === "matmul 1024x128x128");
      if (mm2) row("step GFLOP/s / matmul 1024x128x128 GFLOP/s", gflops / mm2.value, "ratio");
      row("tensors leaked per step", leaked, "tensors");
    } finally {
      trainer.dispose();
      model.dispose();
      tf.dispose([ids, labels]);
    }
    return Promise.resolve(rows);
  },
};
