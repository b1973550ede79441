/**
 * `deno task mate-kd`: MATE-KD against plain KD and the paper's kinds of baselines on SST-2, one
 * budget (lib/pipeline robust_kd.ts): each student (the TinyBERT-style 4 x 64 from scratch, and
 * `bert-2l`, 2 x 256 initialised from the teacher) trained with each method on the
 * same examples, steps, schedule, teacher and seed, then every model on all of dev (clean) and on
 * the same first dev examples under every attack recipe, with Wilson intervals and exact
 * McNemar tests against plain KD (Holm-adjusted). Work runs on two Deno Workers; every finished
 * job is a record in the run (runs/mate_kd/<id>/), so `--resume RUN_DIR` redoes nothing done.
 *
 *   deno task mate-kd [--methods plain,random-token,embedding-pgd,mate] [--students a,b]
 *                     [--train-size 8000]
 *                     [--dev-examples 100] [--query-budget 500] [--quick] [--resume RUN_DIR]
 *                     [--out DIR]
 *
 * `--quick` (and ROSEARCH_BUDGET=ci): 512 training examples, 20 dev examples, 60 queries, two
 * recipes: a smoke test, not a result.
 */
import { createWorkerPool, initBackend } from "../../lib/backend/mod.ts";
import {
  type FinalEvalResult,
  PIPELINE_WORKER,
  type PipelineTasks,
  ROBUST_KD_METHODS,
  ROBUST_KD_STUDENTS,
  type RobustKdComparison,
  robustKdComparisons,
  robustKdMarkdown,
  type RobustKdResult,
  type RobustKdRow,
  robustKdRow,
} from "../../lib/pipeline/mod.ts";
import { DEFAULT_TEACHER_DIR, relativeToProject } from "../../lib/project/mod.ts";
import { recordedJobs, type Run } from "../../lib/track/mod.ts";
import { poolProgress } from "../_shared/pool_progress.ts";
import { positiveInt as int } from "../_shared/project.ts";
import { openExperiment } from "../_shared/experiment.ts";
import { ALL_RECIPES, preset } from "../rosearch_sst2/config.ts";

const USAGE = "deno task mate-kd [--methods a,b] [--students tinybert,bert-2l] " +
  "[--train-size N] [--dev-examples N] " +
  "[--query-budget N] [--quick] [--resume RUN_DIR] [--out DIR]";

/**
 * Peak learning rate per student (every method of a student uses its student's): the
 * TinyBERT-style baseline's 1e-3 from scratch; DistilBERT-style's 1e-4 from the teacher's weights.
 */
const STUDENT_LR: Record<string, number> = { tinybert: 1e-3, "bert-2l": 1e-4 };

interface Params {
  methods: string[];
  students: string[];
  trainSize: number;
  devExamples: number;
  queryBudget: number;
  recipes: string[];
  seed: number;
  teacherDir: string;
  out: string;
}

function openRun(): Promise<{ run: Run; p: Params }> {
  return openExperiment("mate_kd", USAGE, {
    methods: { type: "string", default: ROBUST_KD_METHODS.join(",") },
    students: { type: "string", default: ROBUST_KD_STUDENTS.join(",") },
    "train-size": { type: "string" },
    "dev-examples": { type: "string" },
    "query-budget": { type: "string" },
  }, (a) => {
    const values = a.values as
      & { methods: string; students: string }
      & Record<string, string | undefined>;
    const quick = a.quick;
    const methods = values.methods.split(",").filter(Boolean);
    for (const m of methods) {
      if (!(ROBUST_KD_METHODS as readonly string[]).includes(m)) {
        throw new RangeError(`--methods: unknown "${m}"; valid: ${ROBUST_KD_METHODS.join(", ")}`);
      }
    }
    if (!methods.includes("plain")) throw new RangeError("--methods must include plain");
    const students = values.students.split(",").filter(Boolean);
    for (const s of students) {
      if (!(ROBUST_KD_STUDENTS as readonly string[]).includes(s)) {
        throw new RangeError(`--students: unknown "${s}"; valid: ${ROBUST_KD_STUDENTS.join(", ")}`);
      }
    }
    const p: Params = {
      methods,
      students: quick ? students.slice(0, 1) : students,
      trainSize: values["train-size"]
        ? int("train-size", values["train-size"])
        : quick
        ? 512
        : 8000,
      devExamples: values["dev-examples"]
        ? int("dev-examples", values["dev-examples"])
        : quick
        ? 20
        : 100,
      queryBudget: values["query-budget"]
        ? int("query-budget", values["query-budget"])
        : quick
        ? 60
        : 500,
      recipes: quick ? ["textfooler", "deepwordbug"] : ALL_RECIPES,
      seed: 42,
      teacherDir: DEFAULT_TEACHER_DIR,
      out: a.out ?? (quick ? "runs/mate_kd_quick" : "experiments/mate_kd/results"),
    };
    return p;
  });
}

interface StudentTable {
  student: string;
  rows: RobustKdRow[];
  comparisons: RobustKdComparison[];
}

async function main(): Promise<void> {
  const t0 = performance.now();
  await initBackend({ prefer: "wasm" });
  const { run, p } = await openRun();
  const settings = preset("default").eval;
  console.log(
    `MATE-KD comparison: ${p.methods.join(", ")} x students ${p.students.join(", ")}; ` +
      `${p.trainSize} training examples, ${p.devExamples} attacked dev examples x ` +
      `${p.recipes.join(", ")}\n  run ${relativeToProject(run.dir)}`,
  );
  const pool = createWorkerPool<PipelineTasks>(PIPELINE_WORKER, { size: 2, name: "mate-kd" });
  const progress = poolProgress("mate-kd", pool);
  try {
    const trained = new Map<string, RobustKdResult>();
    const evals = new Map<string, FinalEvalResult>();
    const job = recordedJobs(run);
    const pairs = p.students.flatMap((student) => p.methods.map((method) => ({ student, method })));
    await Promise.all(pairs.map(async ({ student, method }) => {
      const id = `${student}:${method}`;
      const dir = run.artifactPath(`students/${student}/${method}`);
      const r = await job(`train:${id}`, () =>
        pool.run("robust_kd_train", {
          method: method as RobustKdResult["method"],
          student: { name: student as typeof ROBUST_KD_STUDENTS[number] },
          teacherDir: p.teacherDir,
          settings,
          train: { size: p.trainSize, seed: 3, epochs: 1 },
          seed: p.seed,
          learningRate: STUDENT_LR[student],
          outDir: dir,
        }));
      trained.set(id, r);
      console.log(
        `  ${id.padEnd(22)} trained: ${r.steps} steps, ${r.msPerStep.toFixed(0)} ms/step, ` +
          `validation ${(100 * r.validationAccuracy).toFixed(1)}% (${r.seconds.toFixed(0)} s)`,
      );
      for (const what of ["clean", ...p.recipes]) {
        const e = await job(`eval:${id}:${what}`, () =>
          pool.run("final_eval", {
            modelDir: dir,
            dataset: "sst2",
            maxLength: settings.train.maxLength,
            what,
            devExamples: p.devExamples,
            queryBudget: p.queryBudget,
            teacherDir: p.teacherDir,
          }));
        evals.set(`${id}:${what}`, e);
        console.log(`  ${id.padEnd(22)} ${what.padEnd(12)} done`);
      }
    }));
    const tables: StudentTable[] = p.students.map((student) => {
      const rows = p.methods.map((m) => {
        const id = `${student}:${m}`, r = trained.get(id)!;
        const clean = evals.get(`${id}:clean`) as { correct?: string };
        const attacks = Object.fromEntries(
          p.recipes.map((x) => [x, (evals.get(`${id}:${x}`) as { outcomes: string }).outcomes]),
        );
        return robustKdRow(
          {
            method: m,
            augmenter: r.augmenter,
            params: r.params,
            steps: r.steps,
            msPerStep: r.msPerStep,
          },
          clean.correct ?? "",
          attacks,
        );
      });
      return { student, rows, comparisons: robustKdComparisons(rows, p.recipes) };
    });
    const minutes = ((performance.now() - t0) / 60000).toFixed(1);
    const jobSeconds = [...trained.values()].reduce((a, r) => a + r.seconds, 0) +
      [...evals.values()].reduce((a, e) => a + (e as { seconds: number }).seconds, 0);
    const methodLines = [...trained.values()].map((r) =>
      `- ${r.student} / ${r.method}: ${r.augmenter ?? "no perturbation term"}`
    ).sort().join("\n");
    const header = `# MATE-KD vs plain KD and its baselines on SST-2 (one budget per student)\n\n` +
      `Command: \`deno task mate-kd\` (run ${relativeToProject(run.dir)}, ` +
      `started ${run.info.start.slice(0, 16).replace("T", " ")} UTC; ${
        (jobSeconds / 60).toFixed(1)
      } min of worker time in all, on 2 workers; this invocation ${minutes} min). ` +
      `Every model is trained from the default teacher (live) on the same ${p.trainSize} ` +
      `leak-free SST-2 training examples for one epoch, AdamW with linear warmup and decay, ` +
      `seed ${p.seed}; loss 1/3 CE + 1/3 softCE(T=1) for every method plus each method's 1/3 ` +
      `perturbation term (lib/pipeline robust_kd.ts, kd_mode.ts). Students: ` +
      p.students.map((x) => `${x} (peak lr ${STUDENT_LR[x]})`).join(", ") +
      ` (lib/pipeline ROBUST_KD_STUDENTS). Attacks: ${p.queryBudget} queries per example, the ` +
      `same first ${p.devExamples} dev examples for every model; paired tests within a student, ` +
      `Holm-adjusted within its table.\n\n${methodLines}`;
    const md = [
      header,
      ...tables.map((t) =>
        robustKdMarkdown(t.rows, t.comparisons, p.recipes, `## Student: ${t.student}`)
      ),
    ].join("\n\n");
    await Deno.mkdir(p.out, { recursive: true });
    await Deno.writeTextFile(`${p.out}/table.md`, md);
    await Deno.writeTextFile(
      `${p.out}/table.json`,
      JSON.stringify(
        { params: p, run: relativeToProject(run.dir), tables, trained: [...trained.values()] },
        null,
        1,
      ) + "\n",
    );
    run.finish("finished");
    console.log(`\n${md}\nwrote ${p.out}/table.md`);
  } finally {
    progress.done();
    await pool.close();
  }
}

if (import.meta.main) await main();
