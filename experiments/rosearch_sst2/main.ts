/**
 * `deno task rosearch`: RoSearch on SST-2 (Guo et al. 2021; METHODS.md) at this machine's scale.
 *
 * 1. The teacher (data/teachers/sst2_bert_l4_h256/classifier, or --teacher DIR) runs once to fill
 *    the teacher-output caches of the proxy training subset and the validation subset
 *    (lib/pipeline `prepareTeacher`).
 * 2. Regularized evolution (lib/search `createEvolution`, ask/tell) proposes genomes; lib/search's
 *    `runSearchLoop` evaluates up to --workers candidates at once on the local engine (lib/pipeline
 *    `localEngine`: Deno Workers running `evaluateCandidate`: build, distil on the proxy subset,
 *    validation accuracy, robustness under the search attack, size, latency), scores them with
 *    lib/search's `rosearch` fitness, appends every candidate to the run's records.jsonl (key =
 *    genome hash) and saves the strategy state after every ask and tell.
 * 3. Architecture-robustness statistics over all candidates (lib/stats `archStatsReport`).
 * 4. Final stage (lib/pipeline `runFinalStage`, skipped with --no-final): the top three retrained
 *    on more data and compared with the KD baselines and the teacher under one attack protocol.
 * Outputs: the run folder runs/rosearch_<dataset>/<runId>/ and experiments/rosearch_sst2/results/
 * (results/quick/ for --quick, results/ci/ for ROSEARCH_BUDGET=ci, results/mrpc/ for MRPC).
 *
 * Scale (METHODS.md): the papers distil BERT-base (110M) on GPUs; here the teacher is a 4-layer,
 * 256-wide BERT (11M parameters) and compression ratios are relative to it. Settings: config.ts.
 */
import {
  createWorkerPool,
  describeActivity,
  initBackend,
  type WorkerPool,
} from "../../lib/backend/mod.ts";
import {
  checkKdMode,
  type FinalTable,
  kdChangeMarkdown,
  kdChanges,
  localEngine,
  pinTeacherTiming,
  PIPELINE_WORKER,
  type PipelineTasks,
  type PreparedTeacher,
  prepareTeacher,
  runFinalStage,
  tableMarkdown,
} from "../../lib/pipeline/mod.ts";
import { defaultTeacherDir, hasMlm, relativeToProject as rel } from "../../lib/project/mod.ts";
import { recipeUses } from "../../lib/robustness/mod.ts";
import type { QueueCounts } from "../../lib/queue/mod.ts";
import type { CandidateResult, CandidateTask } from "../../lib/pipeline/mod.ts";
import type { Genome } from "../../lib/search_space/mod.ts";
import {
  type Ask,
  type CandidateRecord,
  candidateRecords,
  computeFitness,
  createEvolution,
  type EvaluationEngine,
  type Evolution,
  type EvolutionState,
  racingThreshold,
  restoreEvolution,
  runSearchLoop,
  STATE_ARTIFACT,
} from "../../lib/search/mod.ts";
import { createSearchSpace } from "../../lib/search_space/mod.ts";
import { type ArchStatRow, archStatsMarkdown, archStatsReport } from "../../lib/stats/mod.ts";
import {
  createRun,
  invocationTimes,
  readRun,
  resumeNote,
  resumeRun,
  type Run,
} from "../../lib/track/mod.ts";
import {
  archStatsCharts,
  createProgress,
  fitnessCurve,
  paretoChart,
  type Progress,
} from "../../lib/viz/mod.ts";
import { checkTeacherDir } from "../../lib/pipeline/mod.ts";
import { runnableRecipes } from "../../lib/robustness/tfjs.ts";
import { reportRepairs } from "../_shared/experiment.ts";
import {
  budgetFromEnv,
  commandLine,
  formatSeconds,
  PROJECT_ROOT,
  RUNS_ROOT,
} from "../_shared/project.ts";
import {
  type Flags,
  HELP,
  parseFlags,
  parseRunParams,
  type Preset,
  preset,
  type PresetName,
  type RunParams,
} from "./config.ts";
import { failRunOn, installCli, UsageError } from "../_shared/cli.ts";
import { poolProgress } from "../_shared/pool_progress.ts";
import { candidateRows, racingSaved, type SearchOutcome, writeResult } from "./results.ts";

export const RESULTS_ROOT = `${PROJECT_ROOT}experiments/rosearch_sst2/results`;
export const BASELINES_DIR = `${PROJECT_ROOT}experiments/kd_baselines/results`;

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

async function main(): Promise<void> {
  installCli("rosearch", HELP);
  const flags = parseFlags(Deno.args);
  if (flags.help) return console.log(HELP);
  const started = performance.now();
  const backend = await initBackend();
  const { run, params, resumed } = await openRun(flags);
  failRunOn(run);
  const p = params.preset;
  console.log(
    `RoSearch ${params.dataset} (${params.presetName} budget: ${p.search.budget} candidates, ` +
      `${p.search.workers} workers${params.noFinal ? ", no final stage" : ""})` +
      `${resumed ? " RESUMED" : ""}\n  run     ${rel(run.dir)}\n  results ${
        rel(params.resultsDir)
      }\n  backend ${backend.backend}; teacher ${rel(params.teacherDir)}`,
  );
  if (!resumed) console.log(`  estimate ${estimateDuration(p)}`);
  const pool = createWorkerPool<PipelineTasks>(PIPELINE_WORKER, {
    size: p.search.workers,
    name: "rosearch",
  });
  const abort = new AbortController();
  const onInterrupt = () => {
    abort.abort(); // evaluations cut short are not recorded: they stay pending for --resume
    run.setStatus("interrupted");
    console.log(`\ninterrupted; continue with: deno task rosearch --resume ${rel(run.dir)}`);
    // terminate the workers and let them tear down before exiting (see worker_pool.ts)
    void pool.close().finally(() => Deno.exit(130));
  };
  Deno.addSignalListener("SIGINT", onInterrupt);
  try {
    const prep = await prepareRunTeacher(run, params); // 1. teacher and caches
    const engine = await engineOf(flags, run, params, prep, pool, abort); // 2.
    const status = flags.engine === "local" ? () => describeActivity(pool.activity()) : undefined;
    const search = await searchPhase(run, params, prep, engine, resumed, abort.signal, status);
    if (abort.signal.aborted) return; // the SIGINT handler closes the pool and exits
    writeSearchOutputs(run, params, search); // 3. charts and architecture statistics
    const final = params.noFinal ? null : await finalPhase(run, params, prep, pool, search); // 4.
    const total = (performance.now() - started) / 1000;
    run.finish("finished", {
      candidates: search.all.length,
      best: search.best,
      searchSeconds: search.seconds,
      finalSeconds: final?.seconds ?? 0,
      totalSeconds: total,
      meanCandidateSeconds: search.meanCandidateSeconds,
      racing: search.racing,
      table: final ? rel(`${params.resultsDir}/table.md`) : null,
    });
    console.log(
      `done in ${formatSeconds(total)} (search ${formatSeconds(search.seconds)}, final ${
        formatSeconds(final?.seconds ?? 0)
      })\n  run     ${rel(run.dir)}\n  results ${rel(params.resultsDir)}`,
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

/** Creates the run folder, or reopens it for --resume (run.json's params come back). */
async function openRun(flags: Flags): Promise<{ run: Run; params: RunParams; resumed: boolean }> {
  if (flags.resume) {
    const run = await resumeRun(flags.resume, { repoDir: PROJECT_ROOT });
    reportRepairs(run);
    const params = parseRunParams(run.info.params, `${flags.resume}/run.json`);
    if (typeof flags.budget === "number") params.preset.search.budget = flags.budget;
    if (flags.workers !== undefined) params.preset.search.workers = flags.workers;
    params.noFinal = flags["no-final"]; // per invocation: resume without it runs the final stage
    if (flags.kd !== undefined) {
      throw new UsageError(
        `rosearch: --kd sets how a new run's candidates are trained; a resumed run keeps its ` +
          `own (${params.preset.eval.train.kd ?? "plain"}); use --final-kd for its final stage`,
      );
    }
    params.finalKd = flags["final-kd"] && checkKdMode(flags["final-kd"], "rosearch: --final-kd");
    return { run, params, resumed: true };
  }
  const presetName: PresetName = flags.quick
    ? "quick"
    : typeof flags.budget === "string"
    ? flags.budget
    : budgetFromEnv();
  const p = preset(presetName, flags.dataset);
  if (typeof flags.budget === "number") p.search.budget = flags.budget;
  if (flags.workers !== undefined) p.search.workers = flags.workers;
  if (flags.recipe !== undefined) p.eval.attack.recipe = flags.recipe;
  if (flags.kd !== undefined) p.eval.train.kd = checkKdMode(flags.kd, "rosearch: --kd");
  const finalKd = flags["final-kd"] && checkKdMode(flags["final-kd"], "rosearch: --final-kd");
  const sub = [
    flags.dataset === "sst2" ? "" : flags.dataset,
    presetName === "default" ? "" : presetName,
  ]
    .filter(Boolean).join("/");
  const teacherDir = flags.teacher ?? defaultTeacherDir(flags.dataset);
  checkTeacherDir(teacherDir, flags.dataset); // before a run folder is created
  const { skipped } = runnableRecipes([p.eval.attack.recipe], teacherDir);
  if (skipped.length > 0) {
    throw new UsageError(`rosearch: --recipe ${skipped[0].recipe} cannot run: ${skipped[0].why}`);
  }
  if (recipeUses(p.eval.attack.recipe).includes("mlm") && !hasMlm(teacherDir)) {
    console.log(
      `note: no masked LM next to ${rel(teacherDir)} (expected ../mlm): ` +
        `${p.eval.attack.recipe} runs without its masked-LM fluency check`,
    );
  }
  const params: RunParams = {
    presetName,
    preset: p,
    dataset: flags.dataset,
    teacherDir,
    resultsDir: flags.results ??
      (presetName === "paper" && flags.dataset === "sst2"
        ? `${RESULTS_ROOT}_paper`
        : sub
        ? `${RESULTS_ROOT}/${sub}`
        : RESULTS_ROOT),
    command: commandLine("rosearch"),
    noFinal: flags["no-final"],
    ...(finalKd ? { finalKd } : {}),
  };
  const run = await createRun(`rosearch_${flags.dataset}`, {
    params: { ...params },
    seed: flags.seed,
    backend: { ...(await initBackend()) },
    root: flags["runs-root"] ?? RUNS_ROOT,
    repoDir: PROJECT_ROOT,
  });
  return { run, params, resumed: false };
}

/** 1. Loads and times the teacher, builds the proxy and validation caches. */
async function prepareRunTeacher(run: Run, params: RunParams): Promise<PreparedTeacher> {
  // one teacher timing per run (lib/pipeline teacher_timing.ts): the fitness's latency term of a
  // resumed invocation is on the first invocation's scale
  console.log("teacher: loading, timing and caching its outputs (reused when cached)");
  const bars = new Map<string, Progress>();
  const onProgress = (cache: string, done: number, total: number) => {
    let bar = bars.get(cache);
    if (!bar) bars.set(cache, bar = createProgress({ total, label: `teacher cache (${cache})` }));
    if (done < total) bar.update(done);
    else bar.done();
  };
  const prep = pinTeacherTiming(
    run,
    await prepareTeacher(params.teacherDir, params.preset.eval, { onProgress }),
  );
  console.log(
    `teacher: ${(prep.info.params / 1e6).toFixed(2)}M parameters, ${
      prep.info.latencyMs.toFixed(0)
    } ms per batch${prep.pinned ? " (the run's first timing)" : ""}; caches ready in ${
      formatSeconds(prep.seconds)
    }`,
  );
  return prep;
}

/** The evolution of this run: restored from its saved state on resume, else new. */
function evolutionOf(run: Run, params: RunParams, teacherParams: number): Evolution {
  const s = params.preset.search;
  let saved: EvolutionState | null = null;
  try {
    saved = JSON.parse(Deno.readTextFileSync(run.artifactPath(STATE_ARTIFACT)));
  } catch { /* fresh run, or killed before the first save */ }
  if (saved) {
    saved.options.budget = Math.max(saved.options.budget, s.budget);
    return restoreEvolution(saved);
  }
  return createEvolution({
    space: createSearchSpace({ teacherParams, minRatio: s.minRatio, maxRatio: s.maxRatio }),
    budget: s.budget,
    populationSize: s.populationSize,
    sampleSize: s.sampleSize,
    seed: run.info.seed,
  });
}

type Engine = EvaluationEngine<Genome, CandidateResult & Record<string, unknown>> & {
  close?: () => Promise<void>;
  counts?: () => Promise<QueueCounts>;
};

/**
 * 2a. The evaluation engine: the local Worker pool, or (--engine bullmq) BullMQ on Redis,
 * loaded only then (lib/pipeline/queue.ts). Redis unreachable for 30 min aborts the loop: the
 * candidates in flight are not recorded and `--resume` re-attaches to their jobs.
 */
async function engineOf(
  flags: Flags,
  run: Run,
  params: RunParams,
  prep: PreparedTeacher,
  pool: WorkerPool<PipelineTasks>,
  abort: AbortController,
): Promise<Engine> {
  const p = params.preset, teacher = prep.info;
  const taskOf = (ask: Ask<Genome>, threshold: unknown): CandidateTask => ({
    genome: ask.genome,
    threshold: typeof threshold === "number" ? threshold : undefined,
    seed: run.info.seed,
    settings: p.eval,
    teacher: { dir: teacher.dir, params: teacher.params, latencyMs: teacher.latencyMs },
    caches: prep.caches,
  });
  if (flags.engine === "local") return localEngine(pool, taskOf);
  const { checkRedis, DEFAULT_REDIS_URL, redactUrl } = await import("../../lib/queue/mod.ts");
  const { bullmqEngine, DEFAULT_QUEUE } = await import("../../lib/pipeline/queue.ts");
  const url = flags.redis ?? DEFAULT_REDIS_URL;
  await checkRedis(url);
  const queueName = flags.queue ?? DEFAULT_QUEUE;
  console.log(
    `engine: BullMQ on ${redactUrl(url)}, queue "${queueName}", ${p.search.workers} in flight; ` +
      `start workers with: deno task worker --redis ${redactUrl(url)}` +
      (flags.queue ? ` --queue ${queueName}` : ""),
  );
  return bullmqEngine({
    url,
    runId: run.info.runId,
    concurrency: p.search.workers,
    teacherPath: rel(teacher.dir),
    teacherSha256: teacher.sha256,
    queueName,
    onUnavailable: (e) => {
      console.error(
        `error: ${e.message}; continue with: deno task rosearch --resume ${rel(run.dir)}`,
      );
      abort.abort();
    },
  }, taskOf);
}

/** 2. The search: the strategy, the engine and the loop; every candidate recorded once. */
async function searchPhase(
  run: Run,
  params: RunParams,
  prep: PreparedTeacher,
  engine: Engine,
  resumed: boolean,
  signal: AbortSignal,
  status?: () => string,
): Promise<SearchOutcome> {
  const p = params.preset, teacher = prep.info;
  const previous = candidateRecords(readRun(run.dir).records);
  const evolution = evolutionOf(run, params, teacher.params);
  if (resumed) {
    console.log(
      `resuming: ${previous.length} candidates in records, ${evolution.pending().length} pending`,
    );
  }
  // one line per candidate (below); between them, at least a line every 30 s with the running
  // evaluations' own step counts
  const budget = evolution.state().options.budget;
  const bar = createProgress({
    total: budget,
    initial: previous.length,
    label: "search",
    everyTenth: false,
    lineIntervalMs: 30_000,
    ...(status ? { status } : {}),
  });
  let told = previous.length;
  bar.update(told);
  const t0 = performance.now();
  const perCandidate: number[] = [];
  const racing = p.eval.attack.racing;
  const loop = await runSearchLoop({
    strategy: evolution,
    engine,
    run,
    previous,
    signal,
    // racing: the score to beat is the k-th best fitness lower bound among candidates told
    atAsk: (told) => racingThreshold(told, racing),
    fitness: (m) =>
      computeFitness("rosearch", {
        cleanAccuracy: m.cleanAccuracy,
        robustness: m.robustness,
        params: m.params,
        teacherParams: teacher.params,
        latencyMs: m.latencyMs,
        teacherLatencyMs: teacher.latencyMs,
      }, p.search.fitness),
    onRecord: (rec, best) => {
      bar.update(++told);
      const m = rec.metrics as { seconds?: { total: number } } | null;
      if (m?.seconds) perCandidate.push(m.seconds.total);
      const line = candidateLine(rec, evolution.state().options.budget, best);
      if (!engine.counts) return console.log(line);
      // BullMQ: the queue's counts in the progress line (jobs of every run on this queue)
      engine.counts().then(
        (c) =>
          console.log(
            `${line} [queue: ${c.waiting} waiting, ${c.active} active, ${c.failed} failed]`,
          ),
        () => console.log(line),
      );
    },
  });
  bar.done();
  await engine.close?.();
  const seconds = (performance.now() - t0) / 1000;
  const all = candidateRecords(readRun(run.dir).records).sort((a, b) =>
    a.evaluation - b.evaluation
  );
  const best = evolution.best();
  const mean = perCandidate.length
    ? perCandidate.reduce((a, b) => a + b, 0) / perCandidate.length
    : null;
  console.log(
    `search: ${loop.evaluated} evaluated now (${loop.recovered} recovered, ` +
      (loop.reevaluated ? `${loop.reevaluated} re-evaluated: records lost, ` : "") +
      `${loop.failed} failed), ` +
      `${all.length} in total, ${formatSeconds(seconds)}` +
      (mean !== null ? `; ${mean.toFixed(1)} s per candidate in a worker` : "") +
      (best ? `; best ${best.hash.slice(0, 10)} fitness ${best.fitness.toFixed(3)}` : ""),
  );
  const saved = racingSaved(all, p.eval.attack);
  if (saved) {
    console.log(
      `racing: ${saved.attacked} examples attacked over ${saved.candidates} candidates, vs ` +
        `${saved.atCap} at the cap of ${saved.cap} (${(100 * saved.share).toFixed(0)}% saved)`,
    );
  }
  return {
    all,
    rows: candidateRows(all),
    seconds,
    racing: saved,
    meanCandidateSeconds: mean,
    best: best ? { hash: best.hash, fitness: best.fitness, metrics: best.metrics } : null,
  };
}

/** One progress line per candidate. */
function candidateLine(rec: CandidateRecord, budget: number, best: number): string {
  const m = rec.metrics as
    | { cleanAccuracy: number; robustness: number; compression: number; seconds: { total: number } }
    | null;
  return `[${rec.evaluation}/${budget}] ${rec.hash.slice(0, 10)} ${rec.origin.padEnd(8)} ` +
    (m
      ? `acc ${pct(m.cleanAccuracy)} rob ${pct(m.robustness)} ${m.compression.toFixed(1)}x ` +
        `fitness ${rec.fitness!.toFixed(3)} (${m.seconds.total.toFixed(0)} s; best ${
          best.toFixed(3)
        })`
      : `FAILED: ${rec.error}`);
}

/** Writes a chart into the run and into the results folder. */
function chart(run: Run, params: RunParams, name: string, svg: string): void {
  Deno.writeTextFileSync(run.chartPath(name), svg);
  writeResult(params.resultsDir, `charts/${name}`, svg);
}

/** 3. Fitness curve, Pareto chart, architecture statistics and the candidates table. */
function writeSearchOutputs(run: Run, params: RunParams, search: SearchOutcome): void {
  const { all, rows } = search, attack = params.preset.eval.attack, out = params.resultsDir;
  chart(
    run,
    params,
    "fitness_curve.svg",
    fitnessCurve(all.filter((r) => r.fitness !== null), {
      y: "fitness",
      x: "evaluation",
      title: "RoSearch: fitness over evaluations",
    }).svg,
  );
  if (rows.length > 0) {
    chart(
      run,
      params,
      "pareto_search.svg",
      paretoChart(rows, {
        x: "params",
        y: "robustness",
        color: "accuracy",
        yLabel: `accuracy under ${attack.recipe}`,
        title: "Searched candidates: robustness vs size",
        subtitle:
          `colour: validation accuracy; ${attack.recipe} on ${attack.examples} held-out examples`,
      }).svg,
    );
  }
  const statRows: ArchStatRow[] = rows.map((r) => ({
    hash: r.hash,
    robustness: r.robustness,
    cleanAccuracy: r.accuracy,
    stats: r.stats,
  }));
  const report = archStatsReport(statRows, { seed: run.info.seed });
  run.writeArtifact("arch_stats.json", report);
  writeResult(out, "arch_stats.json", report);
  writeResult(out, "arch_stats.md", archStatsMarkdown(report));
  if (statRows.length > 0) {
    const charts = archStatsCharts(statRows);
    chart(run, params, "arch_stat_scatter.svg", charts.scatter.svg);
    chart(run, params, "arch_presence_boxplot.svg", charts.boxplot.svg);
  }
  writeResult(out, "candidates.json", rows);
}

/** 4. The final comparison; its table in Markdown and JSON, and the final Pareto chart. */
async function finalPhase(
  run: Run,
  params: RunParams,
  prep: PreparedTeacher,
  pool: WorkerPool<PipelineTasks>,
  search: SearchOutcome,
): Promise<{ table: FinalTable; seconds: number }> {
  const t0 = performance.now();
  const previous = new Map(
    readRun(run.dir).records
      .filter((r) => typeof r.key === "string" && String(r.key).startsWith("final_"))
      .map((r) => [r.key as string, r]),
  );
  // robust KD of the final stage: its own records, folder and tables beside the plain ones
  const kd = checkKdMode(params.finalKd ?? "plain", "--final-kd");
  const out = kd === "plain" ? params.resultsDir : `${params.resultsDir}/final_kd_${kd}`;
  const suffix = kd === "plain" ? "" : `_kd_${kd}`;
  // its jobs log as they finish; between them, a line every 30 s with the running jobs' steps
  const bar = poolProgress("final stage", pool);
  const table = await runFinalStage({
    run,
    pool,
    log: (line) => {
      console.log(line);
      bar.tick();
    },
    preset: kd === "plain"
      ? params.preset
      : { ...params.preset, final: { ...params.preset.final, kd } },
    teacher: prep.info,
    candidates: search.all,
    baselinesDir: params.dataset === "sst2" ? BASELINES_DIR : `${BASELINES_DIR}/${params.dataset}`,
    previous,
  }).finally(() => bar.done());
  const seconds = (performance.now() - t0) / 1000;
  const md = tableHeader(run, params, prep, search, table, search.seconds + seconds) +
    tableMarkdown(table);
  writeResult(out, "table.md", md);
  writeResult(out, "table.json", { command: params.command, run: rel(run.dir), ...table });
  run.writeArtifact(`table${suffix}.json`, table);
  run.writeArtifact(`table${suffix}.md`, md);
  console.log("\n" + tableMarkdown(table));
  if (kd !== "plain") kdChangeOutputs(run, out, table, kd);
  const searchRecipe = params.preset.eval.attack.recipe;
  const recipe = table.recipes.includes(searchRecipe) ? searchRecipe : table.recipes[0];
  const pareto = paretoChart(
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
  ).svg;
  Deno.writeTextFileSync(run.chartPath(`pareto_final${suffix}.svg`), pareto);
  writeResult(out, "charts/pareto_final.svg", pareto);
  return { table, seconds };
}

/**
 * Robust KD's change against the run's plain final stage (same students, examples and attacks):
 * `change.md` / `change.json` beside the robust table; a note when the plain one is missing.
 */
function kdChangeOutputs(run: Run, out: string, table: FinalTable, kd: string): void {
  let plain: FinalTable;
  try {
    plain = JSON.parse(Deno.readTextFileSync(run.artifactPath("table.json")));
  } catch {
    console.log(
      `note: this run has no plain final table (artifacts/table.json): no paired change ` +
        `written; run the plain final stage (--resume without --final-kd) to compare`,
    );
    return;
  }
  const changes = kdChanges(plain, table);
  const md = `# What ${kd} KD changes in the final stage of ${rel(run.dir)}\n\n` +
    `The same top students and KD baselines, trained on the same ${table.trainSize} examples for ` +
    `the same steps from the same teacher, once with plain KD (../table.md) and once with ` +
    `${kd} KD (table.md here); the same dev examples, attack seeds and query budget ` +
    `(${table.queryBudget}). Paired exact McNemar tests on the same examples.\n\n` +
    kdChangeMarkdown(changes, kd);
  writeResult(out, "change.md", md);
  writeResult(out, "change.json", { run: rel(run.dir), kd, changes });
  console.log("\n" + md);
}

/** The command, invocations and scale note above the final table. */
function tableHeader(
  run: Run,
  params: RunParams,
  prep: PreparedTeacher,
  search: SearchOutcome,
  table: FinalTable,
  seconds: number,
): string {
  const p = params.preset;
  return `# RoSearch on ${params.dataset.toUpperCase()}: ` +
    `searched students vs KD baselines vs teacher\n\n` +
    `Command: \`${params.command}\` (run ${rel(run.dir)}, started ${
      run.info.start.slice(0, 16).replace("T", " ")
    } UTC)${resumeNote(run.info.history, rel(run.dir))}. Wall time per invocation: ${
      invocationTimes(run.info.history, seconds)
    } (a resumed invocation redoes nothing already in the run's records).\n\n` +
    `Scale: teacher = 4-layer, 256-wide BERT with ${
      (prep.info.params / 1e6).toFixed(2)
    }M parameters ` +
    `trained here (the paper: BERT-base, 110M); compression is relative to it. Search: ` +
    `${search.all.length} candidates, each distilled on ${p.eval.proxy.size} examples for ` +
    `${p.eval.train.epochs} epoch(s) and attacked with ${p.eval.attack.recipe} on ` +
    (p.eval.attack.racing && search.racing
      ? `the held-out sentences, raced from ${p.eval.attack.examples} in steps of ` +
        `${p.eval.attack.racing.step} up to ${p.eval.attack.racing.cap} ` +
        `(${search.racing.attacked} ` +
        `attacked in all, ${(100 * search.racing.share).toFixed(0)}% fewer than every candidate ` +
        `at the cap)`
      : `${p.eval.attack.examples} held-out examples`) +
    `; the top ${table.rows.filter((r) => r.kind === "searched").length} ` +
    `were retrained on ${table.trainSize} examples. Dev evaluation: clean accuracy on all ` +
    `${table.devSize} dev examples.\n\n`;
}

/**
 * A rough duration from per-unit costs measured on 2 cores (2026-12-02, default preset: 48 s per
 * candidate in a worker at 4,000 proxy examples and 50 attacked; final stage: about 2 min per
 * retrained student at 16,000 examples, 20 s per model, recipe and 100 attacked dev examples).
 */
function estimateDuration(p: Preset): string {
  const w = p.search.workers, r = p.eval.attack.racing;
  const attacked = r ? (p.eval.attack.examples + r.cap) / 2 : p.eval.attack.examples;
  const candidate = 15 + 6 * p.eval.proxy.size / 1000 + 0.2 * attacked;
  const search = (p.search.budget * candidate) / w;
  const trained = p.final.top + (p.final.baselines === "retrain" ? 4 : 0);
  const models = p.final.top + 5;
  const final = (trained * 120 * p.final.trainSize / 16000 +
    models * p.final.recipes.length * 20 * p.final.devExamples / 100) / w;
  return `about ${formatSeconds(search + final)} (search ${formatSeconds(search)}, final ${
    formatSeconds(final)
  }) on ${w} workers`;
}

if (import.meta.main) await main(); // errors: experiments/_shared/cli.ts's convention
