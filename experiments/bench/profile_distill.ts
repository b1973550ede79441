/**
 * Where does a distillation step of the default KD student (TinyBERT-style, L4 H64) spend its
 * time on wasm? `deno run --allow-read --allow-env experiments/bench/profile_distill.ts
 * [--batch 32] [--seq 32] [--shapes]`. Prints the median step time and the per-kernel time
 * (tf.profile) of one step from a logits-only in-memory cache (soft CE), as the distill bench
 * section measures it. Used to pick the distillation speed remedies.
 */
import * as tf from "@tensorflow/tfjs";
import { parseArgs } from "node:util";
import { initBackend } from "../../lib/backend/mod.ts";
import type { EncodedBatch } from "../../lib/data/mod.ts";
import { type BertModel, createBertClassifier } from "../../lib/models/mod.ts";
import { distill } from "../../lib/distill/mod.ts";
import { Prng } from "../../lib/random/mod.ts";
import { tinybert } from "../../lib/distill/mod.ts";
import { TEACHER } from "./sections/distill.ts";

const { values } = parseArgs({
  options: {
    batch: { type: "string", default: "32" },
    seq: { type: "string", default: "32" },
    shapes: { type: "boolean", default: false },
  },
});
const B = Number(values.batch), S = Number(values.seq);
await initBackend();
const teacher = createBertClassifier(TEACHER, { seed: 1 }) as BertModel;
const student = tinybert.createStudent(teacher, { seed: 2 });
const prng = Prng.fromSeed(3);
const batch: EncodedBatch = {
  batchSize: B,
  seqLen: S,
  inputIds: Int32Array.from({ length: B * S }, () => 1000 + prng.int(29000)),
  tokenTypeIds: new Int32Array(B * S),
  attentionMask: new Int32Array(B * S).fill(1),
  labels: Int32Array.from({ length: B }, () => prng.int(2)),
  indices: Array.from({ length: B }, (_, i) => i),
};
const logits = new Float32Array(B * 2).map(() => prng.normal());
const cache = {
  key: "profile",
  dir: "",
  numExamples: B,
  numLabels: 2,
  hidden: null,
  built: true,
  logitsFor: (idx: number[]) =>
    Float32Array.from(idx.flatMap((e) => [logits[2 * e], logits[2 * e + 1]])),
  hiddenFor: () => {
    throw new Error("logits only");
  },
  lengthsFor: () => {
    throw new Error("logits only");
  },
};
const objective = { kl: { weight: 0 }, softCE: { weight: 1, temperature: 1 } };
const times: number[] = [];
const run = (steps: number) =>
  distill(cache, student, { train: [batch] }, {
    objective,
    maxSteps: steps,
    epochs: steps,
    learningRate: 1e-4,
    onProgress: (p) => times.push(p.msPerStep),
  });
await run(8);
const med = [...times.slice(2)].sort((a, b) => a - b)[3];
console.log(
  `batch ${B}x${S}: median step ${med.toFixed(1)} ms (${(1000 * B / med).toFixed(0)} ex/s)`,
);
const info = await tf.profile(async () => {
  await run(1);
});
const by = new Map<string, [number, number]>();
for (const k of info.kernels) {
  const key = values.shapes ? `${k.name} ${JSON.stringify(k.inputShapes)}` : k.name;
  const e = by.get(key) ?? [0, 0];
  e[0] += Number(k.kernelTimeMs);
  e[1]++;
  by.set(key, e);
}
const total = [...by.values()].reduce((s, [ms]) => s + ms, 0);
console.log(
  `kernel time ${
    total.toFixed(1)
  } ms in ${info.kernels.length} kernels (one step incl. optimizer set-up)`,
);
for (const [k, [ms, n]] of [...by].sort((a, b) => b[1][0] - a[1][0]).slice(0, 30)) {
  console.log(`  ${k.padEnd(values.shapes ? 70 : 24)} ${ms.toFixed(2).padStart(8)} ${n}`);
}
student.dispose();
teacher.dispose();
