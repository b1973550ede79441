/**
 * `deno task l2a`: L2A against its baselines on MR with SST-2 as the source (issue 18), one
 * budget (lib/pipeline l2a.ts): for each target size, the candidate pools, a target-adapted
 * teacher, and every method's student trained on the same steps, schedule, seed and teacher;
 * each student on all of MR test with Wilson intervals, exact McNemar tests of L2A against every
 * other method (Holm within a size), the data-size curve and the selector's reward over training.
 * Jobs run on two Deno Workers and are records of the run (runs/l2a/<id>/), so `--resume RUN_DIR`
 * redoes nothing already done.
 *
 *   deno task l2a [--sizes 100,500,1000] [--methods a,b] [--steps 500] [--seed 42] [--quick]
 *                 [--resume RUN_DIR] [--out DIR]
 *
 * `--seed` changes the target samples, the pools, the teacher fine-tuning and every student at
 * once (a replicate of the whole comparison).
 *
 * `--quick` (and ROSEARCH_BUDGET=ci): one size of 100, three methods, 20 steps, small pools: a
 * smoke test, not a result.
 */
import { createWorkerPool, initBackend } from "../../lib/backend/mod.ts";
import {
  L2A_METHODS,
  L2A_SIZES,
  type L2aPoolsResult,
  l2aReport,
  type L2aStudentResult,
  type L2aTeacherResult,
  PIPELINE_WORKER,
  type PipelineTasks,
} from "../../lib/pipeline/mod.ts";
import { DEFAULT_MLM_DIR, DEFAULT_TEACHER_DIR, relativeToProject } from "../../lib/project/mod.ts";
import { recordedJobs } from "../../lib/track/mod.ts";
import { poolProgress } from "../_shared/pool_progress.ts";
import { positiveInt as int } from "../_shared/project.ts";
import { openExperiment } from "../_shared/experiment.ts";

const USAGE = "deno task l2a [--sizes 100,500,1000] [--methods a,b] [--steps N] [--seed N] " +
  "[--quick] " +
  "[--resume RUN_DIR] [--out DIR]";

interface Params {
  sizes: number[];
  methods: string[];
  steps: number;
  stepsPerRound: number;
  batchSize: number;
  maxLength: number;
  augmentedShare: number;
  learningRate: number;
  teacherSteps: number;
  teacherLearningRate: number;
  sourceSize: number;
  targetRewrites: number;
  devSize: number;
  seed: number;
  teacherDir: string;
  mlmDir: string;
  out: string;
}

function openRun() {
  return openExperiment("l2a", USAGE, {
    sizes: { type: "string" },
    methods: { type: "string" },
    steps: { type: "string" },
    seed: { type: "string" },
  }, (a) => {
    const v = a.values as Record<string, string | undefined>;
    const quick = a.quick;
    const sizes = (v.sizes ?? (quick ? "100" : L2A_SIZES.join(","))).split(",").filter(Boolean)
      .map((s) => int("sizes", s));
    for (const s of sizes) {
      if (s < 2 || s > 1000) throw new RangeError(`--sizes: ${s} is outside [2, 1000]`);
    }
    const methods = (v.methods ?? (quick ? "target-only,eda,l2a" : L2A_METHODS.join(",")))
      .split(",").filter(Boolean);
    for (const m of methods) {
      if (!(L2A_METHODS as readonly string[]).includes(m)) {
        throw new RangeError(`--methods: unknown "${m}"; valid: ${L2A_METHODS.join(", ")}`);
      }
    }
    if (!methods.includes("l2a")) throw new RangeError("--methods must include l2a");
    const p: Params = {
      sizes,
      methods,
      steps: v.steps ? int("steps", v.steps) : quick ? 20 : 500,
      stepsPerRound: quick ? 5 : 10,
      batchSize: 32,
      maxLength: 64,
      augmentedShare: 0.5,
      learningRate: 1e-3,
      teacherSteps: quick ? 8 : 150,
      teacherLearningRate: 5e-5,
      sourceSize: quick ? 64 : 2000,
      targetRewrites: quick ? 200 : 1500,
      devSize: quick ? 64 : 400,
      seed: v.seed ? int("seed", v.seed) : 42,
      teacherDir: DEFAULT_TEACHER_DIR,
      mlmDir: DEFAULT_MLM_DIR,
      out: a.out ?? (quick ? "runs/l2a_quick" : "experiments/l2a/results"),
    };
    return p;
  });
}

async function main(): Promise<void> {
  const t0 = performance.now();
  await initBackend({ prefer: "wasm" });
  const { run, p } = await openRun();
  console.log(
    `L2A on MR (source SST-2): sizes ${p.sizes.join(", ")} x ${p.methods.join(", ")}; ` +
      `${p.steps} steps each\n  run ${relativeToProject(run.dir)}`,
  );
  const pool = createWorkerPool<PipelineTasks>(PIPELINE_WORKER, { size: 2, name: "l2a" });
  const progress = poolProgress("l2a", pool);
  const common = { seed: p.seed, maxLength: p.maxLength, devSize: p.devSize };
  try {
    const job = recordedJobs(run);
    const sourceFile = run.artifactPath("pools/source.jsonl");
    const source = job("pools:source", () =>
      pool.run("l2a_pools", {
        ...common,
        pool: "source",
        mlmDir: p.mlmDir,
        sourceSize: p.sourceSize,
        targetRewrites: 0,
        outFile: sourceFile,
      }));
    // awaited later; a failure must surface as itself, not as an unhandled rejection first
    source.catch(() => {});
    const pools = new Map<number, L2aPoolsResult>();
    const teachers = new Map<number, L2aTeacherResult>();
    const students: L2aStudentResult[] = [];
    const perSize = async (size: number) => {
      const targetFile = run.artifactPath(`pools/target_${size}.jsonl`);
      const teacherDir = run.artifactPath(`teachers/${size}`);
      const [pr, tr] = await Promise.all([
        job(`pools:${size}`, () =>
          pool.run("l2a_pools", {
            ...common,
            pool: size,
            mlmDir: p.mlmDir,
            sourceSize: 0,
            targetRewrites: p.targetRewrites,
            outFile: targetFile,
          })),
        job(`teacher:${size}`, () =>
          pool.run("l2a_teacher", {
            ...common,
            size,
            teacherDir: p.teacherDir,
            steps: p.teacherSteps,
            learningRate: p.teacherLearningRate,
            batchSize: p.batchSize,
            outDir: teacherDir,
          })),
      ]);
      pools.set(size, pr);
      teachers.set(size, tr);
      console.log(
        `  size ${size}: pools ${JSON.stringify(pr.counts)}; teacher ${tr.chosen} ` +
          `(MR dev ${(100 * tr.zeroShotDev).toFixed(1)} -> ${(100 * tr.adaptedDev).toFixed(1)})`,
      );
      await Promise.all(p.methods.map(async (method) => {
        if (method === "l2a" || method === "l2a-no-target") await source;
        const r = await job(`student:${size}:${method}`, () =>
          pool.run("l2a_student", {
            ...common,
            method: method as L2aStudentResult["method"],
            size,
            teacherDir,
            targetPool: targetFile,
            sourcePool: sourceFile,
            steps: p.steps,
            stepsPerRound: p.stepsPerRound,
            batchSize: p.batchSize,
            augmentedShare: p.augmentedShare,
            learningRate: p.learningRate,
          }));
        students.push(r);
        const acc = [...r.test].filter((c) => c === "1").length / r.test.length;
        console.log(
          `  size ${size} ${method.padEnd(14)} MR test ${(100 * acc).toFixed(1)}% ` +
            `(${r.steps} steps, ${r.msPerStep.toFixed(0)} ms/step, ${r.seconds.toFixed(0)} s)`,
        );
      }));
    };
    const done: number[] = [];
    /** The tables for the sizes finished so far (all of them at the end). */
    const writeReport = async () => {
      const sourcePools = await source;
      const sizes = p.sizes.filter((s) => done.includes(s));
      const partial = sizes.length < p.sizes.length;
      const minutes = ((performance.now() - t0) / 60000).toFixed(1);
      const report = l2aReport({
        sizes,
        methods: p.methods,
        students: students.filter((s) => sizes.includes(s.size)),
        teachers: sizes.map((s) => teachers.get(s)!),
        pools: [sourcePools, ...sizes.map((s) => pools.get(s)!)],
      });
      const header = `# L2A on MR with SST-2 as the source (one budget per size)\n\n` +
        (partial
          ? `**Partial: sizes ${sizes.join(", ")} of ${p.sizes.join(", ")}** (the run goes on; ` +
            `\`deno task l2a --resume ${relativeToProject(run.dir)}\` finishes it).\n\n`
          : "") +
        `Command: \`deno task l2a${
          p.sizes.join(",") === L2A_SIZES.join(",") ? "" : " --sizes " + p.sizes.join(",")
        }${p.seed === 42 ? "" : ` --seed ${p.seed}`}\` ` +
        `(run ${relativeToProject(run.dir)}, started ${
          run.info.start.slice(0, 16).replace("T", " ")
        } UTC; this invocation ${minutes} min on 2 workers). Every student is the ` +
        `TinyBERT-style 4 x 64 from a random initialisation, trained for ${p.steps} steps of ` +
        `${p.batchSize} (rounds of ${p.stepsPerRound}), peak lr ${p.learningRate}, seed ` +
        `${p.seed}, pure KD (softCE, T = 1) from the size's adapted teacher; augmented methods ` +
        `fill ${100 * p.augmentedShare}% of each round's rows from their candidates, the rest ` +
        `with gold target sentences. Teacher: the SST-2 teacher fine-tuned on the target sample ` +
        `(${p.teacherSteps} steps, lr ${p.teacherLearningRate}), the best of its MR-dev ` +
        `evaluations, or the SST-2 teacher when none beat it. Target dev (reward, teacher ` +
        `choice): ${p.devSize} MR dev sentences unseen by SST-2 train. Pools: ${p.sourceSize} ` +
        `SST-2 source sentences (half rewritten), ${p.targetRewrites} masked-LM rewrites of the ` +
        `target sentences.`;
      const md = `${header}\n\n${report.markdown}`;
      await Deno.mkdir(p.out, { recursive: true });
      await Deno.writeTextFile(`${p.out}/table.md`, md);
      for (const [name, svg] of Object.entries(report.charts)) {
        await Deno.writeTextFile(`${p.out}/${name}.svg`, svg);
      }
      const shown = students.filter((s) => sizes.includes(s.size));
      await Deno.writeTextFile(
        `${p.out}/results.json`,
        JSON.stringify(
          {
            params: p,
            run: relativeToProject(run.dir),
            sizesDone: sizes,
            rows: report.rows,
            tests: report.tests,
            teachers: sizes.map((s) => teachers.get(s)!),
            pools: [sourcePools, ...sizes.map((s) => pools.get(s)!)],
            students: shown.map(({ history: _, ...s }) => s),
            history: Object.fromEntries(shown.map((s) => [`${s.size}:${s.method}`, s.history])),
          },
          null,
          1,
        ) + "\n",
      );
      return md;
    };
    // each size reports when its last job is done (tables of the sizes done so far), so a long
    // run leaves results behind before it ends
    let reporting = Promise.resolve("");
    await Promise.all(p.sizes.map(async (size) => {
      await perSize(size);
      done.push(size);
      reporting = reporting.then(writeReport);
      await reporting;
      if (done.length < p.sizes.length) {
        console.log(`  sizes ${done.join(", ")} done: wrote ${p.out}/table.md (partial)`);
      }
    }));
    const md = await reporting;
    run.finish("finished");
    console.log(`\n${md}\nwrote ${p.out}/table.md`);
  } finally {
    progress.done();
    await pool.close();
  }
}

if (import.meta.main) await main();
