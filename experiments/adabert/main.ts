/**
 * `deno task adabert`: AdaBERT's task-adaptive differentiable search (lib/search adabert.ts, the
 * space in lib/search_space adabert_space.ts, the tasks and what is ours in lib/pipeline
 * adabert.ts) on three tasks that differ: SST-2 (sentiment), TREC (question type, 6 classes) and
 * SUBJ (subjectivity), each with its own teacher (`deno task teacher --dataset ...`). Then every
 * derived architecture is retrained with KD on every task (the transfer table), and the SST-2
 * student is attacked with the five recipes. Jobs run on two Deno Workers, each a record of the
 * run (runs/adabert/<id>/); searches checkpoint as they go, so `--resume RUN_DIR` continues an
 * interrupted search where it stopped and redoes nothing finished.
 *
 *   deno task adabert [--tasks sst2,trec,subj] [--steps 300] [--retrain-epochs 3]
 *                     [--teachers task=DIR,...] [--quick] [--resume RUN_DIR] [--out DIR]
 *
 * `--quick` (and ROSEARCH_BUDGET=ci): 2 cells of width 16, 4 search steps, 64 training
 * examples, one attack recipe on 10 examples: a smoke test of every path, not a result.
 */
import { createWorkerPool, initBackend } from "../../lib/backend/mod.ts";
import {
  ADABERT_DATASETS,
  type AdaBertDataset,
  adabertReport,
  type AdaBertRetrainResult,
  type AdaBertSearchTaskResult,
  type AdaBertSupernetSize,
  type FinalEvalResult,
  PIPELINE_WORKER,
  type PipelineTasks,
} from "../../lib/pipeline/mod.ts";
import { defaultTeacherDir, relativeToProject } from "../../lib/project/mod.ts";
import { robustOf } from "../../lib/robustness/tfjs.ts";
import { wilson } from "../../lib/stats/mod.ts";
import { recordedJobs, type Run } from "../../lib/track/mod.ts";
import { poolProgress } from "../_shared/pool_progress.ts";
import { positiveInt as int } from "../_shared/project.ts";
import { openExperiment } from "../_shared/experiment.ts";
import { ALL_RECIPES } from "../rosearch_sst2/config.ts";

const USAGE = "deno task adabert [--tasks sst2,trec,subj] [--steps N] [--beta 4] " +
  "[--retrain-epochs N] [--teachers task=DIR,...] [--no-attacks] [--quick] [--resume RUN_DIR] " +
  "[--out DIR]";

export interface AdaBertParams {
  tasks: AdaBertDataset[];
  teachers: Record<string, string>;
  size: AdaBertSupernetSize;
  steps: number;
  batchSize: number;
  maxLength: number;
  trainSize: number;
  archSize: number;
  gamma: number;
  efficiencyWeight: number;
  archLearningRate: number;
  retrainEpochs: number;
  retrainLearningRate: number;
  attack: { recipes: string[]; examples: number; queryBudget: number };
  seed: number;
  out: string;
}

function nonNegative(flag: string, v: string): number {
  const x = Number(v);
  if (!(Number.isFinite(x) && x >= 0)) {
    throw new RangeError(`--${flag}: expected a number >= 0, got ${v}`);
  }
  return x;
}

function openRun(): Promise<{ run: Run; p: AdaBertParams }> {
  return openExperiment("adabert", USAGE, {
    tasks: { type: "string", default: ADABERT_DATASETS.join(",") },
    steps: { type: "string" },
    "retrain-epochs": { type: "string" },
    beta: { type: "string" },
    "no-attacks": { type: "boolean", default: false },
    teachers: { type: "string" },
  }, (a) => {
    const values = a.values as { tasks: string } & Record<string, string | undefined>;
    const quick = a.quick;
    const tasks = values.tasks.split(",").filter(Boolean) as AdaBertDataset[];
    for (const t of tasks) {
      if (!(ADABERT_DATASETS as readonly string[]).includes(t)) {
        throw new RangeError(`--tasks: unknown "${t}"; valid: ${ADABERT_DATASETS.join(", ")}`);
      }
    }
    const teachers: Record<string, string> = Object.fromEntries(
      tasks.map((t) => [t, relativeToProject(defaultTeacherDir(t))]),
    );
    for (const kv of (values.teachers ?? "").split(",").filter(Boolean)) {
      const [t, dir] = kv.split("=");
      if (!tasks.includes(t as AdaBertDataset) || !dir) {
        throw new RangeError(
          `--teachers: expected task=DIR for one of ${tasks.join(", ")}, got ${kv}`,
        );
      }
      teachers[t] = dir;
    }
    const p: AdaBertParams = {
      tasks,
      teachers,
      size: quick
        ? { embeddingSize: 16, hiddenSize: 16, maxCells: 2 }
        : { embeddingSize: 64, hiddenSize: 64, maxCells: 8 },
      steps: values.steps ? int("steps", values.steps) : quick ? 4 : 300,
      batchSize: 16,
      maxLength: 48,
      trainSize: quick ? 64 : 8000,
      archSize: quick ? 32 : 1000,
      gamma: 0.8,
      efficiencyWeight: values.beta === undefined ? 4 : nonNegative("beta", values.beta),
      archLearningRate: 3e-3,
      retrainEpochs: values["retrain-epochs"]
        ? int("retrain-epochs", values["retrain-epochs"])
        : quick
        ? 1
        : 3,
      retrainLearningRate: 1e-3,
      attack: a.values["no-attacks"] === true
        ? { recipes: [], examples: 0, queryBudget: 0 }
        : quick
        ? { recipes: ["deepwordbug"], examples: 10, queryBudget: 40 }
        : { recipes: ALL_RECIPES, examples: 100, queryBudget: 500 },
      seed: 17,
      out: a.out ?? (quick ? "runs/adabert_quick" : "experiments/adabert/results"),
    };
    return p;
  });
}

async function main(): Promise<void> {
  const t0 = performance.now();
  await initBackend({ prefer: "wasm" });
  const { run, p } = await openRun();
  const job = recordedJobs(run);
  console.log(
    `AdaBERT on ${p.tasks.join(", ")}: ${p.steps} search steps, ${p.size.maxCells} cells of ` +
      `width ${p.size.hiddenSize}\n  run ${relativeToProject(run.dir)}`,
  );
  const pool = createWorkerPool<PipelineTasks>(PIPELINE_WORKER, { size: 2, name: "adabert" });
  const progress = poolProgress("adabert", pool);
  const common = {
    batchSize: p.batchSize,
    maxLength: p.maxLength,
    trainSize: p.trainSize,
    archSize: p.archSize,
    gamma: p.gamma,
    seed: p.seed,
  };
  try {
    const searches = new Map<string, Promise<AdaBertSearchTaskResult>>();
    for (const t of p.tasks) {
      searches.set(
        t,
        job(`search:${t}`, () =>
          pool.run("adabert_search", {
            ...common,
            dataset: t,
            teacherDir: p.teachers[t],
            size: p.size,
            steps: p.steps,
            efficiencyWeight: p.efficiencyWeight,
            archLearningRate: p.archLearningRate,
            checkpointDir: run.artifactPath(`search/${t}`),
          })).then((r) => {
            console.log(
              `  search ${t}: ${r.derived.cells} cells, ${r.seconds.toFixed(0)} s ` +
                `(${r.msPerStep.toFixed(0)} ms/step), probes ${
                  r.probes.heldOutAccuracy.map((a) => (100 * a).toFixed(1)).join("/")
                }%`,
            );
            return r;
          }),
      );
    }
    const retrainDir = (t: string, from: string) => run.artifactPath(`students/${t}_from_${from}`);
    const retrains = await Promise.all(
      p.tasks.flatMap((t) =>
        p.tasks.map((from) =>
          job(`retrain:${t}:${from}`, async () => {
            const s = await searches.get(from)!;
            return pool.run("adabert_retrain", {
              ...common,
              dataset: t,
              from,
              genome: s.genome,
              teacherDir: p.teachers[t],
              epochs: p.retrainEpochs,
              learningRate: p.retrainLearningRate,
              outDir: retrainDir(t, from),
              latency: t === from,
            });
          }).then((r: AdaBertRetrainResult) => {
            console.log(`  retrain ${t} with ${from}'s architecture: ${r.steps} steps`);
            return r;
          })
        )
      ),
    );
    const attacks: Record<string, FinalEvalResult> = {};
    if (p.tasks.includes("sst2")) {
      for (const recipe of p.attack.recipes) {
        attacks[recipe] = await job(`attack:sst2:${recipe}`, () =>
          pool.run("final_eval", {
            modelDir: retrainDir("sst2", "sst2"),
            dataset: "sst2",
            maxLength: p.maxLength,
            what: recipe,
            devExamples: p.attack.examples,
            queryBudget: p.attack.queryBudget,
            teacherDir: p.teachers.sst2,
          }));
      }
    }
    const searchList = await Promise.all([...searches.values()]);
    const report = adabertReport({ tasks: p.tasks, searches: searchList, retrains });
    const attackLines = Object.entries(attacks).map(([recipe, e]) => {
      const robust = robustOf((e as { outcomes: string }).outcomes);
      const k = robust.filter(Boolean).length, n = robust.length, ci = wilson(k, n);
      return `| ${recipe} | ${n} | ${(100 * k / n).toFixed(1)} [${(100 * ci.lower).toFixed(1)}, ${
        (100 * ci.upper).toFixed(1)
      }] |`;
    });
    const minutes = ((performance.now() - t0) / 60000).toFixed(1);
    const md = [
      `# AdaBERT: task-adaptive search on ${p.tasks.join(", ")}`,
      "",
      `Command: \`deno task adabert\` (run ${relativeToProject(run.dir)}, started ${
        run.info.start.slice(0, 16).replace("T", " ")
      } UTC; this invocation ${minutes} min). Supernet: ${p.size.maxCells} cells, embedding ` +
      `${p.size.embeddingSize}, hidden ${p.size.hiddenSize}, 10 ops on 9 edges; ${p.steps} ` +
      `bilevel steps at batch ${p.batchSize} (first ${p.maxLength} tokens), gamma ${p.gamma}, ` +
      `beta ${p.efficiencyWeight}, weight lr 5e-4, architecture lr ${p.archLearningRate}, ` +
      `temperature 1.0 -> 0.2; up to ${p.trainSize} training and ${p.archSize} architecture ` +
      `examples per task. Retraining: ${p.retrainEpochs} epochs, (1 - gamma) CE + gamma softCE ` +
      `from the task's teacher, peak lr ${p.retrainLearningRate}, seed ${p.seed}. Teachers: ${
        Object.entries(p.teachers).map(([t, d]) => `${t} ${d}`).join(", ")
      }.`,
      "",
      report.markdown,
      ...(attackLines.length
        ? [
          "",
          `## The SST-2 student under attack (first ${p.attack.examples} dev examples, ` +
          `${p.attack.queryBudget} queries)`,
          "",
          "| recipe | n | accuracy under attack % [95% CI] |",
          "|---|---:|---:|",
          ...attackLines,
        ]
        : []),
    ].join("\n");
    await Deno.mkdir(`${p.out}/charts`, { recursive: true });
    await Deno.writeTextFile(`${p.out}/table.md`, md);
    for (const [name, svg] of Object.entries(report.charts)) {
      await Deno.writeTextFile(`${p.out}/charts/${name}`, svg);
    }
    await Deno.writeTextFile(
      `${p.out}/table.json`,
      JSON.stringify(
        {
          params: p,
          run: relativeToProject(run.dir),
          searches: searchList.map((s) => ({ ...s, trajectory: undefined })),
          transfer: report.transfer,
          tests: report.tests,
        },
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
