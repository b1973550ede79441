/**
 * The fused WebAssembly SIMD kernels (issue 20; lib/backend `_fused.wat`) on and off, side by
 * side in one run: the default KD student's step (TinyBERT-style L4 H64 FF256, 32 x 32 tokens,
 * soft CE from an in-memory teacher cache, the distill loop's AdamW and clipping), its fraction
 * of the run's 512^3 matmul roofline, the step of a searched DAG student (RoSearch's candidates),
 * the tfjs kernels per step (tf.profile: a 3-step run minus
 * a 2-step run, so the optimizer's set-up cancels), the heaviest kernels after fusion, and the
 * forward-only paths the attacks use (victim examples/s at batch 64, TextFooler s/example on the
 * first 20 SST-2 dev sentences under the attacks' protocol as the main job runs it: counter-fitted
 * vectors, the masked-LM fluency check, 500 queries an example; and how many of those results
 * differ between the two paths) on the trained default teacher
 * (data/teachers) and the trained TinyBERT-style KD student (experiments/kd_baselines/results).
 *
 * Rounds alternate on and off and each side keeps its fastest median, so that load from other
 * processes hits both alike. Wasm only (the kernels exist nowhere else): on another backend the
 * section returns no rows.
 */
import * as tf from "@tensorflow/tfjs";
import { fusedKernelsActive, withFusedKernels } from "../../../lib/backend/mod.ts";
import { loadSplit } from "../../../lib/data/mod.ts";
import { type BertModel, createBertClassifier } from "../../../lib/models/mod.ts";
import { distill, type ObjectiveInput, tinybert } from "../../../lib/distill/mod.ts";
import type { AttackResult } from "../../../lib/robustness/mod.ts";
import { measureAttackThroughput, rawBatchThroughput } from "../../attack/throughput.ts";
import { attackResources } from "../../../lib/robustness/tfjs.ts";
import { loadSearchedStudent } from "../../../lib/search_space/tfjs.ts";
import { DEFAULT_TEACHER_DIR, KD_RESULTS_ROOT, loadVictimModel } from "../../attack/setup.ts";
import { PROJECT_ROOT } from "../../_shared/project.ts";
import { wilson } from "../../../lib/stats/mod.ts";
import type { BenchRow, BenchSection } from "./types.ts";
import {
  bertForwardMatmulFlops,
  memoryCache,
  msPerStep,
  syntheticBatches,
  TEACHER,
} from "./distill.ts";
import { matmulRoofline } from "./matmul.ts";

const BATCH = 32, SEQ = 32;
const CUSTOM_GRAD_SCOPE = "unnamed scope";

/** The attacks' victims: the default teacher and the default KD student, both trained. */
const VICTIMS = [
  ["teacher (L4 H256)", DEFAULT_TEACHER_DIR],
  ["student (TinyBERT-style L4 H64)", `${KD_RESULTS_ROOT}/tinybert`],
] as const;

/** RoSearch's searched-1 of the paper-budget run (experiments/rosearch_sst2/results_paper). */
const SEARCHED_1 =
  `${PROJECT_ROOT}experiments/rosearch_sst2/results_paper/run/artifacts/final/30ee88ed8c3abf93`;

/** Examples whose two attack results differ in type, adversarial text or queries. */
function differingResults(a: readonly AttackResult[], b: readonly AttackResult[]): number {
  const key = (r: AttackResult) =>
    `${r.resultType}|${r.perturbed.attackedText.text}|${r.numQueries}`;
  return a.filter((r, i) => key(r) !== key(b[i])).length;
}
/** "30.0% (n 20, 95% CI [14.5, 51.9])": failed attacks / all examples, Wilson interval. */
function underAttack(failed: number, total: number): string {
  const w = wilson(failed, total);
  const pct = (x: number) => (100 * x).toFixed(1);
  return `${pct(w.estimate)}% (n ${total}, 95% CI [${pct(w.lower)}, ${pct(w.upper)}])`;
}
const SOFT_CE: ObjectiveInput = { kl: { weight: 0 }, softCE: { weight: 1, temperature: 1 } };

/** tfjs kernels of one steady-state distill step, by name: profile(3 steps) - profile(2 steps). */
async function kernelsPerStep(
  run: (steps: number) => Promise<unknown>,
): Promise<{ total: number; byName: Map<string, { count: number; ms: number }> }> {
  const profileOf = async (steps: number) => {
    const info = await tf.profile(async () => {
      await run(steps);
    });
    const by = new Map<string, { count: number; ms: number }>();
    for (const k of info.kernels) {
      const e = by.get(k.name) ?? { count: 0, ms: 0 };
      e.count++;
      e.ms += Number(k.kernelTimeMs);
      by.set(k.name, e);
    }
    return { total: info.kernels.length, by };
  };
  const two = await profileOf(2), three = await profileOf(3);
  const byName = new Map<string, { count: number; ms: number }>();
  for (const [name, e] of three.by) {
    const d = two.by.get(name) ?? { count: 0, ms: 0 };
    if (e.count - d.count > 0) {
      byName.set(name, { count: e.count - d.count, ms: Math.max(0, e.ms - d.ms) });
    }
  }
  return { total: three.total - two.total, byName };
}

export const fusedSection: BenchSection = {
  name: "fused",
  description:
    "fused wasm SIMD kernels on vs off: KD step ms and roofline fraction, kernels per step, " +
    "attack forward passes",
  async run(ctx) {
    if (tf.getBackend() !== "wasm" || !fusedKernelsActive()) {
      console.log(`fused: skipped (${ctx.backend.fused?.reason ?? tf.getBackend()})`);
      return [];
    }
    const rows: BenchRow[] = [];
    const row = (name: string, value: number, unit: string, note?: string) =>
      rows.push({ section: "fused", name, value, unit, ...(note ? { note } : {}) });
    const teacher = createBertClassifier(TEACHER, { seed: 1 }) as BertModel;
    const batches = syntheticBatches(4, 3);
    const cache = memoryCache(teacher, batches);
    const student = tinybert.createStudent(teacher, { seed: 2 }) as BertModel;
    try {
      const steps = ctx.quick ? 3 : 5, rounds = ctx.quick ? 2 : 4;
      const on: number[] = [], off: number[] = [];
      for (let r = 0; r < rounds; r++) {
        on.push(await msPerStep(cache, student, batches, SOFT_CE, steps, 1));
        off.push(
          await withFusedKernels(
            false,
            () => msPerStep(cache, student, batches, SOFT_CE, steps, 1),
          ),
        );
      }
      const [msOn, msOff] = [Math.min(...on), Math.min(...off)];
      const flops = 3 * bertForwardMatmulFlops(student.config, BATCH, SEQ);
      const roof = matmulRoofline(ctx);
      const sc = student.config;
      const size = `L${sc.num_hidden_layers} H${sc.hidden_size} FF${sc.intermediate_size}`;
      row(`KD step ms, fused off (${size}, cache, soft CE)`, msOff, "ms", `batch ${BATCH}x${SEQ}`);
      row("KD step ms, fused on", msOn, "ms", `fastest median of ${rounds} rounds each`);
      row("KD step speed-up, fused on / off", msOff / msOn, "x");
      row("roofline fraction, fused off", flops / msOff / 1e6 / roof.gflops, "ratio", roof.note);
      row("roofline fraction, fused on", flops / msOn / 1e6 / roof.gflops, "ratio", "target 0.40");

      const run = (n: number) =>
        distill(cache, student, { train: batches }, {
          objective: SOFT_CE,
          maxSteps: n,
          epochs: n,
          learningRate: 1e-4,
          seed: 5,
        });
      const kOn = await kernelsPerStep(run);
      const kOff = await withFusedKernels(false, () => kernelsPerStep(run));
      row("tfjs kernels per step, fused off", kOff.total, "kernels");
      row("tfjs kernels per step, fused on", kOn.total, "kernels");
      // tf.profile lists each customGrad call as a kernel named after its scope ("unnamed
      // scope"), timed over the kernels inside it, which are listed too: kept out of the total
      const kernels = [...kOn.byName].filter(([name]) => name !== CUSTOM_GRAD_SCOPE);
      const profiled = kernels.reduce((s, [, e]) => s + e.ms, 0);
      row("after fusion: profiled kernel time per step", profiled, "ms", "sum over kernels");
      const top = kernels.sort((a, b) => b[1].ms - a[1].ms).slice(0, ctx.quick ? 5 : 12);
      for (const [name, e] of top) {
        row(
          `after fusion: ${name} ms per step`,
          e.ms,
          "ms",
          `${e.count} kernels; ${(100 * e.ms / profiled).toFixed(0)}% of profiled kernel time`,
        );
      }
      // a searched DAG student (RoSearch's candidates are these): the paper run's searched-1
      const dag = await loadSearchedStudent(SEARCHED_1);
      try {
        const dagOn: number[] = [], dagOff: number[] = [];
        for (let r = 0; r < rounds; r++) {
          dagOn.push(await msPerStep(cache, dag, batches, SOFT_CE, steps, 1));
          dagOff.push(
            await withFusedKernels(false, () => msPerStep(cache, dag, batches, SOFT_CE, steps, 1)),
          );
        }
        const [a, b] = [Math.min(...dagOn), Math.min(...dagOff)];
        const note = `${SEARCHED_1.slice(PROJECT_ROOT.length)} (conv, FFN and attention cells)`;
        row("searched DAG student KD step ms, fused off", b, "ms", note);
        row("searched DAG student KD step ms, fused on", a, "ms");
        row("searched DAG student KD step speed-up, fused on / off", b / a, "x");
      } finally {
        dag.dispose();
      }
    } finally {
      student.dispose();
      teacher.dispose();
    }

    // forward-only: what the attacks run, on the real victims (as `deno task attack` would)
    const dev = await loadSplit("sst2", "dev");
    const n = ctx.quick ? 3 : 20;
    // the attacks' protocol (lib/robustness attackModel, as in the main job): the counter-fitted
    // word vectors, the teacher's masked LM as TextFooler's fluency check, 500 queries an example
    const { embedding, mlm } = await attackResources(["textfooler"], {
      teacherDir: DEFAULT_TEACHER_DIR,
    });
    for (const [label, dir] of VICTIMS) {
      const victim = await loadVictimModel(dir);
      try {
        const sides = [];
        for (const fused of [false, true]) {
          const side = fused ? "on" : "off";
          const measure = async () => ({
            raw: rawBatchThroughput(victim.model, victim.tokenizer, dev.map((e) => e.text), {
              batchSize: 64,
              repeats: ctx.quick ? 3 : 5,
            }),
            r: await measureAttackThroughput(victim.model, victim.tokenizer, dev.slice(0, n), {
              recipe: "textfooler",
              embedding,
              mlm,
              queryBudget: 500,
              warmup: dev[n],
            }),
          });
          const { raw, r } = await withFusedKernels(fused, measure);
          sides.push(r);
          row(
            `${label}: victim examples/s, batch 64, fused ${side}`,
            raw.examplesPerSecond,
            "ex/s",
            `seq ${raw.seqLen}; ${dir.slice(PROJECT_ROOT.length)}`,
          );
          row(
            `${label}: textfooler s/example, fused ${side}`,
            r.seconds / n,
            "s",
            `first ${n} SST-2 dev sentences, ${r.goalQueries} queries, ` +
              `accuracy under attack ${underAttack(r.metrics.failed, r.metrics.total)}`,
          );
        }
        row(
          `${label}: textfooler results that differ, fused on vs off`,
          differingResults(sides[0].results, sides[1].results),
          "examples",
          `of ${n}: result type, adversarial text and query count compared`,
        );
      } finally {
        victim.model.dispose();
      }
    }
    return rows;
  },
};
