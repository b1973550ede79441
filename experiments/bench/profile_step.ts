/**
 * Where does a training step of the small Transformer spend its time on wasm?
 * `deno run --allow-read --allow-env experiments/bench/profile_step.ts [--fixes a,b,...|all|none]`
 * Prints the median step time, the forward time, per-gradient wall time (from
 * _grad_profiler.ts) and per-kernel time (tf.profile). Used to pick the gradient fixes.
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { parseArgs } from "node:util";
import { ALL_FIXES } from "../../lib/backend/mod.ts";
import { createTinyModel, tinyBatch, tinyTrainer } from "./_tiny_transformer.ts";
import { wrapGradients } from "./_grad_profiler.ts";

const { values } = parseArgs({
  strict: false,
  options: { fixes: { type: "string", default: "all" }, steps: { type: "string", default: "5" } },
});
await tf.setBackend("wasm");
const fixesArg = String(values.fixes);
const want: string[] = fixesArg === "all"
  ? ALL_FIXES.map((f) => f.name)
  : fixesArg === "none"
  ? []
  : fixesArg.split(",");
for (const f of ALL_FIXES) {
  if (want.some((w) => f.name.startsWith(w)) || f.name.startsWith("gather-grad")) f.install();
}
console.log("installed:", ALL_FIXES.filter((f) => f.installed).map((f) => f.name).join(", "));

const model = createTinyModel();
const { ids, labels } = tinyBatch(model.config);
const trainer = tinyTrainer(model);
trainer.step(ids, labels);
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const steps: number[] = [];
for (let i = 0; i < Number(values.steps ?? 5); i++) {
  const t0 = performance.now();
  trainer.step(ids, labels);
  steps.push(performance.now() - t0);
}
const fw: number[] = [];
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  tf.tidy(() => model.loss(ids, labels).dataSync());
  fw.push(performance.now() - t0);
}
console.log(`step ${med(steps).toFixed(1)} ms, forward ${med(fw).toFixed(1)} ms`);

const prof = wrapGradients("wasm");
trainer.step(ids, labels);
const rows = [...prof.ms].sort((a, b) => b[1] - a[1]);
console.log("gradient wall time (ms, calls):");
for (const [k, v] of rows.slice(0, 16)) {
  console.log(`  ${k.padEnd(22)} ${v.toFixed(2).padStart(8)} ${prof.calls.get(k)}`);
}
prof.restore();

const info = await tf.profile(() => {
  trainer.step(ids, labels);
});
const byKernel = new Map<string, [number, number]>();
for (const k of info.kernels) {
  const e = byKernel.get(k.name) ?? [0, 0];
  e[0] += Number(k.kernelTimeMs);
  e[1]++;
  byKernel.set(k.name, e);
}
console.log("kernel time (ms, calls):");
for (const [k, [ms, n]] of [...byKernel].sort((a, b) => b[1][0] - a[1][0]).slice(0, 20)) {
  console.log(`  ${k.padEnd(22)} ${ms.toFixed(2).padStart(8)} ${n}`);
}
trainer.dispose();
model.dispose();
if (Deno.args.includes("--shapes")) {
  const byShape = new Map<string, [number, number]>();
  for (const k of info.kernels) {
    const key = `${k.name} ${JSON.stringify(k.inputShapes)}`;
    const e = byShape.get(key) ?? [0, 0];
    e[0] += Number(k.kernelTimeMs);
    e[1]++;
    byShape.set(key, e);
  }
  console.log("kernel x input shapes (ms, calls):");
  for (const [k, [ms, n]] of [...byShape].sort((a, b) => b[1][0] - a[1][0]).slice(0, 40)) {
    console.log(`  ${k.padEnd(60)} ${ms.toFixed(2).padStart(8)} ${n}`);
  }
}
