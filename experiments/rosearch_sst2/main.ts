/**
 * `deno task rosearch`: RoSearch on SST-2 (Guo et al. 2021; METHODS.md) at this machine's scale.
 *
 * 1. The teacher (data/teachers/sst2_bert_l4_h256/classifier, or --teacher DIR) runs once to fill
 *    the teacher-output caches of the proxy training subset and the validation subset.
 * 2. Regularized evolution (lib/search `createEvolution`, ask/tell) proposes genomes; up to
 *    --workers candidates are evaluated at once in Deno Workers (evaluate_candidate.ts: build,
 *    distil on the proxy subset, validation accuracy, robustness under the search attack, size,
 *    latency) and scored with lib/search's `rosearch` fitness. Every candidate is appended to the
 *    run's records.jsonl (key = genome hash) as it finishes and the strategy state is saved to
 *    artifacts/evolution_state.json after every ask and every tell (search_loop.ts).
 * 3. Architecture-robustness statistics over all candidates (arch_stats.ts).
 * 4. Final stage (final_stage.ts, skipped with --no-final): the top three retrained on more data
 *    and compared with the KD baselines and the teacher under one attack protocol on SST-2 dev.
 * Outputs: the run folder runs/rosearch_<dataset>/<runId>/ and experiments/rosearch_sst2/results/
 * (results/quick/ for --quick, results/ci/ for ROSEARCH_BUDGET=ci, results/mrpc/ for MRPC).
 *
 * Scale (METHODS.md): the papers distil BERT-base (110M) on GPUs; here the teacher is a 4-layer,
 * 256-wide BERT (11M parameters) and compression ratios are relative to it. Settings: config.ts.
 *
 * Usage: deno task rosearch [--budget 24] [--workers 2] [--dataset sst2|mrpc] [--seed 42]
 *          [--teacher DIR] [--quick] [--resume RUN_DIR] [--no-final] [--recipe NAME]
 *          [--runs-root DIR] [--results DIR]
 */
import { parseArgs } from "node:util";
import { createWorkerPool, initBackend } from "../../lib/backend/mod.ts";
import {
  computeFitness,
  createEvolution,
  type Evolution,
  restoreEvolution,
} from "../../lib/search/mod.ts";
import { createSearchSpace } from "../../lib/search_space/genome.ts";
import { createRun, readRun, resumeRun, type Run } from "../../lib/track/mod.ts";
import { fitnessCurve, paretoChart } from "../../lib/viz/mod.ts";
import {
  budgetFromEnv,
  commandLine,
  formatSeconds,
  PROJECT_ROOT,
  RUNS_ROOT,
} from "../_shared/project.ts";
import {
  ALL_RECIPES,
  type Flags,
  FlagsSchema,
  type Preset,
  preset,
  type PresetName,
} from "./config.ts";
import { checkTeacherDir, defaultTeacherDir, prepareTeacher } from "./teacher.ts";
import type { CandidateResult } from "./evaluate_candidate.ts";
import { type CandidateRecord, runSearchLoop, STATE_ARTIFACT } from "./search_loop.ts";
import { type FinalTable, runFinalStage, tableMarkdown } from "./final_stage.ts";
import {
  type ArchStatRow,
  archStatsCharts,
  archStatsMarkdown,
  archStatsReport,
} from "./arch_stats.ts";
import type { WorkerTask } from "./worker.ts";
import { invocationTimes, resumeNote } from "./invocations.ts";

const HELP = `deno task rosearch [--budget N] [--workers N] [--dataset sst2|mrpc] [--seed N]
  [--teacher DIR] [--quick] [--resume RUN_DIR] [--no-final] [--recipe NAME]
  [--runs-root DIR] [--results DIR]
Defaults: the full reference run (24 candidates, 2 workers, final stage); ROSEARCH_BUDGET=ci or
--quick for tiny CI budgets.`;

export const RESULTS_ROOT = `${PROJECT_ROOT}experiments/rosearch_sst2/results`;
export const BASELINES_DIR = `${PROJECT_ROOT}experiments/kd_baselines/results`;

/** What run.json's params hold (and what a resume reads back). */
interface RunParams {
  presetName: PresetName;
  preset: Preset;
  dataset: string;
  teacherDir: string;
  resultsDir: string;
  command: string;
  noFinal: boolean;
}

function parseFlags(args: string[]): Flags {
  const { values } = parseArgs({
    args,
    options: {
      budget: { type: "string" },
      workers: { type: "string" },
      dataset: { type: "string" },
      seed: { type: "string" },
      teacher: { type: "string" },
      quick: { type: "boolean" },
      resume: { type: "string" },
      "no-final": { type: "boolean" },
      recipe: { type: "string" },
      "runs-root": { type: "string" },
      results: { type: "string" },
      help: { type: "boolean" },
    },
  });
  const r = FlagsSchema.safeParse(values);
  if (!r.success) {
    throw new TypeError(
      `rosearch: invalid flags: ${
        r.error.issues.map((i) => `--${i.path.join(".")}: ${i.message}`).join("; ")
      }\n${HELP}`,
    );
  }
  return r.data;
}

const rel = (p: string) => p.startsWith(PROJECT_ROOT) ? p.slice(PROJECT_ROOT.length) : p;
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

async function openRun(flags: Flags): Promise<{ run: Run; params: RunParams; resumed: boolean }> {
  if (flags.resume) {
    const run = await resumeRun(flags.resume, { repoDir: PROJECT_ROOT });
    const params = run.info.params as unknown as RunParams;
    if (!params?.preset?.eval || !params.teacherDir) {
      throw new TypeError(`--resume ${flags.resume}: run.json params are not a rosearch run's`);
    }
    if (flags.budget !== undefined) params.preset.search.budget = flags.budget;
    if (flags.workers !== undefined) params.preset.search.workers = flags.workers;
    params.noFinal = flags["no-final"]; // per invocation: resume without it runs the final stage
    return { run, params, resumed: true };
  }
  const presetName: PresetName = flags.quick ? "quick" : budgetFromEnv();
  const p = preset(presetName, flags.dataset);
  if (flags.budget !== undefined) p.search.budget = flags.budget;
  if (flags.workers !== undefined) p.search.workers = flags.workers;
  if (flags.recipe !== undefined) {
    if (!ALL_RECIPES.includes(flags.recipe) || flags.recipe === "bae") {
      throw new TypeError(
        `rosearch: --recipe ${flags.recipe} is not a search recipe; allowed: ${
          ALL_RECIPES.filter((r) => r !== "bae").join(", ")
        }`,
      );
    }
    p.eval.attack.recipe = flags.recipe;
  }
  const sub = [
    flags.dataset === "sst2" ? "" : flags.dataset,
    presetName === "default" ? "" : presetName,
  ]
    .filter(Boolean).join("/");
  const teacherDir = flags.teacher ?? defaultTeacherDir(flags.dataset);
  checkTeacherDir(teacherDir, flags.dataset); // before a run folder is created
  const params: RunParams = {
    presetName,
    preset: p,
    dataset: flags.dataset,
    teacherDir,
    resultsDir: flags.results ?? (sub ? `${RESULTS_ROOT}/${sub}` : RESULTS_ROOT),
    command: commandLine("rosearch"),
    noFinal: flags["no-final"],
  };
  const backend = await initBackend();
  const run = await createRun(`rosearch_${flags.dataset}`, {
    params: params as unknown as Record<string, unknown>,
    seed: flags.seed,
    backend: { ...backend },
    root: flags["runs-root"] ?? RUNS_ROOT,
    repoDir: PROJECT_ROOT,
  });
  return { run, params, resumed: false };
}

function candidateRows(records: readonly CandidateRecord[]) {
  return records.filter((r) => r.status === "ok").map((r) => {
    const m = r.metrics as unknown as Omit<CandidateResult, "architectureStats">;
    return {
      name: r.hash.slice(0, 8),
      hash: r.hash,
      evaluation: r.evaluation,
      fitness: r.fitness!,
      params: m.params,
      compression: m.compression,
      robustness: m.robustness,
      accuracy: m.cleanAccuracy,
      stats: (r.architectureStats ?? {}) as Record<string, unknown>,
    };
  });
}

function writeResult(dir: string, name: string, data: string | unknown): string {
  const path = `${dir}/${name}`;
  Deno.mkdirSync(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  const tmp = `${path}.tmp`;
  Deno.writeTextFileSync(
    tmp,
    typeof data === "string" ? data : JSON.stringify(data, null, 2) + "\n",
  );
  Deno.renameSync(tmp, path);
  return path;
}

async function main(): Promise<void> {
  const flags = parseFlags(Deno.args);
  if (flags.help) {
    console.log(HELP);
    return;
  }
  const started = performance.now();
  const backend = await initBackend();
  const { run, params, resumed } = await openRun(flags);
  const p = params.preset;
  const seed = run.info.seed;
  console.log(
    `RoSearch ${params.dataset} (${params.presetName} budget: ${p.search.budget} candidates, ` +
      `${p.search.workers} workers${params.noFinal ? ", no final stage" : ""})` +
      `${resumed ? " RESUMED" : ""}\n  run     ${rel(run.dir)}\n  results ${
        rel(params.resultsDir)
      }` +
      `\n  backend ${backend.backend}; teacher ${rel(params.teacherDir)}`,
  );
  const onInterrupt = () => {
    run.setStatus("interrupted");
    console.log(`\ninterrupted; continue with: deno task rosearch --resume ${rel(run.dir)}`);
    // terminate the workers and let them tear down before exiting (see worker_pool.ts)
    void pool.close().finally(() => Deno.exit(130));
  };
  Deno.addSignalListener("SIGINT", onInterrupt);
  const pool = createWorkerPool<WorkerTask, unknown>(new URL("./worker.ts", import.meta.url), {
    size: p.search.workers,
    name: "rosearch",
  });
  try {
    // 1. teacher and caches
    const prep = await prepareTeacher(params.teacherDir, p.eval);
    const teacher = prep.info;
    run.writeArtifact("teacher.json", { ...teacher, caches: prep.caches });
    console.log(
      `teacher: ${(teacher.params / 1e6).toFixed(2)}M parameters, ${
        teacher.latencyMs.toFixed(0)
      } ms per batch; caches ready in ${formatSeconds(prep.seconds)}`,
    );

    // 2. the search
    const previousRecords = readRun(run.dir).records as Record<string, unknown>[];
    const previous = previousRecords.filter((r) =>
      r.kind === "candidate"
    ) as unknown as CandidateRecord[];
    let evolution: Evolution;
    let stateJson: unknown = null;
    try {
      stateJson = JSON.parse(Deno.readTextFileSync(run.artifactPath(STATE_ARTIFACT)));
    } catch { /* fresh run, or killed before the first save */ }
    const space = createSearchSpace({
      teacherParams: teacher.params,
      minRatio: p.search.minRatio,
      maxRatio: p.search.maxRatio,
    });
    if (stateJson) {
      const st = stateJson as { options: { budget: number } };
      st.options.budget = Math.max(st.options.budget, p.search.budget);
      evolution = restoreEvolution(st);
    } else {
      evolution = createEvolution({
        space,
        budget: p.search.budget,
        populationSize: p.search.populationSize,
        sampleSize: p.search.sampleSize,
        seed,
      });
    }
    if (resumed) {
      console.log(
        `resuming: ${previous.length} candidates in records, ${evolution.pending().length} pending`,
      );
    }
    const searchStart = performance.now();
    const perCandidate: number[] = [];
    const loop = await runSearchLoop({
      evolution,
      run,
      concurrency: p.search.workers,
      previous,
      evaluate: (genome) =>
        pool.run({
          kind: "candidate",
          task: {
            genome,
            seed,
            settings: p.eval,
            teacher: { dir: teacher.dir, params: teacher.params, latencyMs: teacher.latencyMs },
            caches: prep.caches,
          },
        }) as Promise<CandidateResult & Record<string, unknown>>,
      fitness: (m) =>
        computeFitness("rosearch", {
          cleanAccuracy: m.cleanAccuracy as number,
          robustness: m.robustness as number,
          params: m.params as number,
          teacherParams: teacher.params,
          latencyMs: m.latencyMs as number,
          teacherLatencyMs: teacher.latencyMs,
        }, p.search.fitness),
      onRecord: (rec, best) => {
        const m = rec.metrics as unknown as CandidateResult | null;
        if (m) perCandidate.push(m.seconds.total);
        console.log(
          `[${rec.evaluation}/${evolution.state().options.budget}] ${rec.hash.slice(0, 10)} ${
            rec.origin.padEnd(8)
          } ` +
            (m
              ? `acc ${pct(m.cleanAccuracy)} rob ${pct(m.robustness)} ${
                m.compression.toFixed(1)
              }x ` +
                `fitness ${rec.fitness!.toFixed(3)} (${m.seconds.total.toFixed(0)} s; best ${
                  best.toFixed(3)
                })`
              : `FAILED: ${rec.error}`),
        );
      },
    });
    const searchSeconds = (performance.now() - searchStart) / 1000;
    const all = (readRun(run.dir).records as Record<string, unknown>[])
      .filter((r) => r.kind === "candidate") as unknown as CandidateRecord[];
    all.sort((a, b) => a.evaluation - b.evaluation);
    const rows = candidateRows(all);
    const best = evolution.best();
    console.log(
      `search: ${loop.evaluated} evaluated now (${loop.recovered} recovered, ${loop.failed} failed), ` +
        `${all.length} in total, ${formatSeconds(searchSeconds)}` +
        (perCandidate.length
          ? `; ${
            (perCandidate.reduce((a, b) => a + b, 0) / perCandidate.length).toFixed(1)
          } s per candidate in a worker`
          : "") +
        (best ? `; best ${best.hash.slice(0, 10)} fitness ${best.fitness.toFixed(3)}` : ""),
    );

    // 3. charts of the search and architecture statistics
    const outDir = params.resultsDir;
    const chart = (name: string, svg: string) => {
      Deno.writeTextFileSync(run.chartPath(name), svg);
      writeResult(outDir, `charts/${name}`, svg);
    };
    chart(
      "fitness_curve.svg",
      fitnessCurve(all.filter((r) => r.fitness !== null), {
        y: "fitness",
        x: "evaluation",
        title: "RoSearch: fitness over evaluations",
      }).svg,
    );
    if (rows.length > 0) {
      chart(
        "pareto_search.svg",
        paretoChart(rows, {
          x: "params",
          y: "robustness",
          color: "accuracy",
          yLabel: `accuracy under ${p.eval.attack.recipe}`,
          title: "Searched candidates: robustness vs size",
          subtitle:
            `colour: validation accuracy; ${p.eval.attack.recipe} on ${p.eval.attack.examples} held-out examples`,
        }).svg,
      );
    }
    const statRows: ArchStatRow[] = rows.map((r) => ({
      hash: r.hash,
      robustness: r.robustness,
      cleanAccuracy: r.accuracy,
      stats: r.stats,
    }));
    const report = archStatsReport(statRows, { seed });
    run.writeArtifact("arch_stats.json", report);
    writeResult(outDir, "arch_stats.json", report);
    writeResult(outDir, "arch_stats.md", archStatsMarkdown(report));
    if (statRows.length > 0) {
      const charts = archStatsCharts(statRows);
      chart("arch_stat_scatter.svg", charts.scatter.svg);
      chart("arch_presence_boxplot.svg", charts.boxplot.svg);
    }
    writeResult(outDir, "candidates.json", rows);

    // 4. final stage
    let table: FinalTable | null = null;
    let finalSeconds = 0;
    if (!params.noFinal) {
      const t0 = performance.now();
      const previousFinal = new Map(
        previousRecords.filter((r) =>
          typeof r.key === "string" && String(r.key).startsWith("final_")
        )
          .map((r) => [r.key as string, r]),
      );
      table = await runFinalStage({
        run,
        pool,
        preset: p,
        teacher,
        candidates: all,
        baselinesDir: params.dataset === "sst2"
          ? BASELINES_DIR
          : `${BASELINES_DIR}/${params.dataset}`,
        previous: previousFinal,
      });
      finalSeconds = (performance.now() - t0) / 1000;
      const md = tableMarkdown(table);
      const header =
        `# RoSearch on ${params.dataset.toUpperCase()}: searched students vs KD baselines vs teacher\n\n` +
        `Command: \`${params.command}\` (run ${rel(run.dir)}, started ${
          run.info.start.slice(0, 16).replace("T", " ")
        } UTC)${resumeNote(run.info.history, rel(run.dir))}. Wall time per invocation: ${
          invocationTimes(run.info.history, searchSeconds + finalSeconds)
        } (a resumed invocation redoes nothing already in the run's records).\n\n` +
        `Scale: teacher = 4-layer, 256-wide BERT with ${
          (teacher.params / 1e6).toFixed(2)
        }M parameters ` +
        `trained here (the paper: BERT-base, 110M); compression is relative to it. Search: ` +
        `${all.length} candidates, each distilled on ${p.eval.proxy.size} examples for ` +
        `${p.eval.train.epochs} epoch(s) and attacked with ${p.eval.attack.recipe} on ` +
        `${p.eval.attack.examples} held-out examples; the top ${
          table.rows.filter((r) => r.kind === "searched").length
        } ` +
        `were retrained on ${table.trainSize} examples. Dev evaluation: clean accuracy on all ` +
        `${table.devSize} dev examples.\n\n`;
      writeResult(outDir, "table.md", header + md);
      writeResult(outDir, "table.json", { command: params.command, run: rel(run.dir), ...table });
      run.writeArtifact("table.json", table);
      run.writeArtifact("table.md", header + md);
      console.log("\n" + md);
      const recipe = table.recipes.includes("textfooler") ? "textfooler" : table.recipes[0];
      chart(
        "pareto_final.svg",
        paretoChart(
          table.rows.map((r) => ({
            name: r.name,
            params: r.params,
            robustness: r.attacks[recipe].accuracyUnderAttack,
            accuracy: r.devAccuracy,
            baseline: r.kind !== "searched",
          })),
          {
            x: "params",
            y: "robustness",
            color: "accuracy",
            labelFront: true,
            yLabel: `accuracy under ${recipe}`,
            title: `${params.dataset.toUpperCase()} dev: robustness vs size`,
            subtitle:
              `colour: clean dev accuracy; dots: searched (front in red); diamonds: baselines, teacher`,
          },
        ).svg,
      );
    }
    const total = (performance.now() - started) / 1000;
    run.finish("finished", {
      candidates: all.length,
      best: best ? { hash: best.hash, fitness: best.fitness, metrics: best.metrics } : null,
      searchSeconds,
      finalSeconds,
      totalSeconds: total,
      meanCandidateSeconds: perCandidate.length
        ? perCandidate.reduce((a, b) => a + b, 0) / perCandidate.length
        : null,
      table: table ? rel(`${outDir}/table.md`) : null,
    });
    console.log(
      `done in ${formatSeconds(total)} (search ${formatSeconds(searchSeconds)}, final ${
        formatSeconds(finalSeconds)
      })\n  run     ${rel(run.dir)}\n  results ${rel(outDir)}`,
    );
  } catch (e) {
    try {
      run.finish("failed", { error: e instanceof Error ? e.message : String(e) });
    } catch { /* already finished */ }
    throw e;
  } finally {
    await pool.close();
    Deno.removeSignalListener("SIGINT", onInterrupt);
  }
}

if (import.meta.main) {
  try {
    await main();
  } catch (e) {
    // Clear one-line errors for setup problems (missing teacher, bad flags); stacks otherwise.
    if (e instanceof Error && /^RoSearch: |^rosearch: /.test(e.message)) {
      console.error(`error: ${e.message}`);
      Deno.exit(1);
    }
    throw e;
  }
}
