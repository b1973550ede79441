/**
 * Final stage of a search (main process; the work runs on the worker pool):
 * 1. the top `final.top` searched students by fitness are retrained from scratch (same seed
 *    as in the search) on a larger training set (`final.trainSize` examples of SST-2 train minus
 *    the held-out part; 0 = all of it) with teacher logits from a cache built here;
 * 2. the KD baselines (lib/distill): with `final.baselines` "retrain" (the default), each is
 *    trained in this run under the same budget (same examples, epochs, schedule and teacher;
 *    its own initialisation, layer losses and peak lr, written in the table); with
 *    "checkpoints", the ones in experiments/kd_baselines/results/<name>/ are used;
 * 3. every model — those students, the baselines, and the teacher — is
 *    evaluated under ONE protocol on SST-2 dev: clean accuracy on the whole dev split, then each
 *    attack recipe on the same first `final.devExamples` dev examples with the same query
 *    budget, attack seed and attack resources (lib/robustness `attackResources`: teacher
 *    embedding, teacher MLM).
 * Per-example outcomes are kept (dev correctness, attack outcome codes), so final_table.ts adds
 * Wilson intervals and paired McNemar tests (Holm-adjusted) between searched students and the
 * baselines of comparable compression.
 * Every finished job is a record (key `final_train:<hash>` / `final_eval:<model>:<what>`), so a
 * resumed run skips the jobs already done; retrained students are saved under the run's
 * artifacts/final/<hash>/ as lib/models checkpoints (kind "searched"). With `final.kd` (robust
 * KD, kd_mode.ts) other than "plain", every student and baseline is trained with that
 * perturbation term from the live teacher; keys get `@<kd>` and folders `final_<kd>/`.
 */
import type { WorkerPool } from "../backend/mod.ts";
import { isCheckpointDir } from "../project/mod.ts";
import type { AttackMetrics } from "../robustness/mod.ts";
import { runnableRecipes } from "../robustness/tfjs.ts";
import type { CandidateRecord } from "../search/mod.ts";
import type { Run } from "../track/mod.ts";
import type { CacheRef, TeacherInfo } from "./teacher.ts";
import type {
  FinalBaselineResult,
  FinalEvalResult,
  FinalEvalTask,
  FinalTrainResult,
} from "./final_tasks.ts";
import {
  type FinalTable,
  pairedComparisons,
  proportion,
  type RecipeCell,
  type TableRow,
} from "./final_table.ts";
import { BASELINES } from "../distill/mod.ts";
import { checkKdMode } from "./kd_mode.ts";
import { finalTrainSet } from "./search_data.ts";
import type { EvalSettings, FinalSettings } from "./settings.ts";
import type { PipelineTasks } from "./tasks.ts";

export const FINAL_TRAIN_SEED = 3;

export interface FinalModel {
  name: string;
  kind: "searched" | "baseline" | "teacher";
  /** Checkpoint folder (any lib/models kind). */
  dir: string;
  /** Search-time figures of a searched student. */
  search?: { hash: string; fitness: number; cleanAccuracy: number; robustness: number };
  description?: string;
}

const KNOWN_BASELINES = BASELINES.map((b) => b.name);

/** The teacher's encoder depth from its config.json (0 when unreadable). */
function teacherDepth(dir: string): number {
  try {
    return Number(JSON.parse(Deno.readTextFileSync(`${dir}/config.json`)).num_hidden_layers) || 0;
  } catch {
    return 0;
  }
}

/** KD baselines saved by `deno task kd-baselines` (checkpoint folders with manifest.json). */
export function findBaselines(resultsDir: string): { found: FinalModel[]; missing: string[] } {
  const found: FinalModel[] = [];
  let names: string[] = [];
  try {
    names = [...Deno.readDirSync(resultsDir)]
      .filter((e) => e.isDirectory && e.name !== "quick" && !e.name.startsWith("."))
      .map((e) => e.name)
      .sort();
  } catch { /* no results folder yet */ }
  for (const name of names) {
    try {
      const manifest = JSON.parse(Deno.readTextFileSync(`${resultsDir}/${name}/manifest.json`));
      found.push({
        name,
        kind: "baseline",
        dir: `${resultsDir}/${name}`,
        description: typeof manifest.description === "string" ? manifest.description : undefined,
      });
    } catch { /* not a checkpoint folder */ }
  }
  const missing = KNOWN_BASELINES.filter((n) => !found.some((f) => f.name === n));
  return { found, missing };
}

export interface FinalStageOptions {
  run: Run;
  pool: WorkerPool<PipelineTasks>;
  /** The search's evaluation settings and the final comparison's. */
  preset: { eval: EvalSettings; final: FinalSettings };
  teacher: TeacherInfo;
  candidates: readonly CandidateRecord[];
  baselinesDir: string;
  /** Records of earlier attempts (resume), by key. */
  previous: Map<string, Record<string, unknown>>;
  log?: (line: string) => void;
}

/** Runs the final stage and returns the table. */
export async function runFinalStage(o: FinalStageOptions): Promise<FinalTable> {
  const { run, pool, preset: p, teacher } = o;
  const log = o.log ?? console.log;
  const s = p.eval, f = p.final;
  const top = o.candidates
    .filter((c) => c.status === "ok" && c.fitness !== null)
    .sort((a, b) => b.fitness! - a.fitness!)
    .slice(0, f.top);
  if (top.length === 0) throw new Error("final stage: no successfully evaluated candidate");

  const { recipes, skipped: recipesSkipped } = runnableRecipes(f.recipes, teacher.dir);
  // robust KD (kd_mode.ts): its own record keys and model folders beside the plain ones, so a
  // finished run can be resumed with another `final.kd` and both tables compared (the teacher's
  // evaluation is shared)
  const kd = checkKdMode(f.kd ?? "plain", "final.kd");
  const tag = kd === "plain" ? "" : `@${kd}`, folder = kd === "plain" ? "final" : `final_${kd}`;
  const sTrain: EvalSettings = kd === "plain" ? s : { ...s, train: { ...s.train, kd } };
  const evalKey = (m: { name: string; kind: string }, what: string) =>
    `final_eval${m.kind === "teacher" ? "" : tag}:${m.name}:${what}`;
  const retrain = (f.baselines ?? "checkpoints") === "retrain";
  const baselines = retrain
    ? {
      found: BASELINES.map((b): FinalModel => ({
        name: b.name,
        kind: "baseline",
        dir: run.artifactPath(`${folder}/baseline_${b.name}`),
        description: b.style,
      })),
      missing: [] as string[],
    }
    : findBaselines(o.baselinesDir);
  const teacherModel: FinalModel = {
    name: "teacher",
    kind: "teacher",
    dir: teacher.dir,
  };
  const searched: FinalModel[] = top.map((c, i) => ({
    name: `searched-${i + 1}`,
    kind: "searched",
    dir: run.artifactPath(`${folder}/${c.hash}`),
    search: {
      hash: c.hash,
      fitness: c.fitness!,
      cleanAccuracy: Number(c.metrics?.cleanAccuracy),
      robustness: Number(c.metrics?.robustness),
    },
  }));
  let trainCache: CacheRef | null = null;
  const results = new Map<string, FinalEvalResult>();
  const trained = new Map<string, FinalTrainResult>();
  const trainedBaselines = new Map<string, FinalBaselineResult>();

  const evalJob = async (m: FinalModel, what: string) => {
    const key = evalKey(m, what);
    const prev = o.previous.get(key);
    if (prev && prev.result) {
      results.set(key, prev.result as FinalEvalResult);
      return;
    }
    const task: FinalEvalTask = {
      modelDir: m.dir,
      dataset: s.dataset,
      maxLength: s.train.maxLength,
      what,
      devExamples: f.devExamples,
      queryBudget: f.queryBudget,
      teacherDir: teacher.dir,
    };
    const r = await pool.run("final_eval", task);
    results.set(key, r);
    run.appendRecord({
      key,
      kind: "final_eval",
      model: m.name,
      modelKind: m.kind,
      what,
      result: r,
    });
    log(`  ${m.name.padEnd(12)} ${what.padEnd(12)} ${describe(r)}`);
  };
  const evalAll = (m: FinalModel) =>
    Promise.all(["clean", ...recipes].map((what) => evalJob(m, what)));

  const trainJob = async (m: FinalModel, c: CandidateRecord) => {
    const key = `final_train${tag}:${c.hash}`;
    const prev = o.previous.get(key);
    if (prev !== undefined && isCheckpointDir(m.dir)) {
      trained.set(c.hash, prev!.result as FinalTrainResult);
    } else {
      const r = await pool.run("final_train", {
        genome: c.genome,
        seed: o.run.info.seed,
        settings: sTrain,
        train: { size: f.trainSize, seed: FINAL_TRAIN_SEED, epochs: f.epochs, cache: trainCache! },
        outDir: m.dir,
        teacherDir: teacher.dir,
      });
      trained.set(c.hash, r);
      run.appendRecord({ key, kind: "final_train", model: m.name, hash: c.hash, result: r });
      log(
        `  ${m.name} (${c.hash.slice(0, 10)}) retrained: ${r.steps} steps, validation accuracy ${
          pct(r.validationAccuracy)
        } (${r.seconds.toFixed(0)} s)`,
      );
    }
    await evalAll(m);
  };

  const notTrained: { name: string; why: string }[] = [];
  const baselineJob = async (m: FinalModel) => {
    const key = `final_train_baseline${tag}:${m.name}`;
    const prev = o.previous.get(key);
    if (prev !== undefined && isCheckpointDir(m.dir)) {
      trainedBaselines.set(m.name, prev.result as FinalBaselineResult);
    } else {
      // a baseline this teacher cannot train (e.g. too few layers to copy or match) is left out
      // of the table with its reason; the rest of the comparison goes on
      const r = await pool.run("final_train_baseline", {
        baseline: m.name,
        teacherDir: teacher.dir,
        seed: o.run.info.seed,
        settings: sTrain,
        train: { size: f.trainSize, seed: FINAL_TRAIN_SEED, epochs: f.epochs, cache: trainCache! },
        outDir: m.dir,
      }).catch((e: Error) => {
        notTrained.push({
          name: m.name,
          why: e.message.replace(/^task \d+ failed in worker \S+: /, ""),
        });
        log(`  ${m.name}: not trained (${notTrained.at(-1)!.why})`);
        return null;
      });
      if (r === null) return;
      trainedBaselines.set(m.name, r);
      run.appendRecord({ key, kind: "final_train_baseline", model: m.name, result: r });
      log(
        `  ${m.name} trained under the same budget: ${r.steps} steps, validation accuracy ${
          pct(r.validationAccuracy)
        } (${r.seconds.toFixed(0)} s)`,
      );
    }
    await evalAll(m);
  };

  // The final training set's teacher cache is built by a worker (reused on resume) while the
  // other worker already attacks the teacher and the baselines.
  const trainSize = (await finalTrainSet(s, f.trainSize, FINAL_TRAIN_SEED)).length;
  log(
    `final stage: retraining ${top.length} students${
      retrain ? ` and ${baselines.found.length} KD baselines` : ""
    } on ${trainSize} examples`,
  );
  // [CLS] states of the teacher layers the cache baselines need (only layers the teacher has)
  const teacherLayers = teacherDepth(teacher.dir);
  const clsLayers = retrain
    ? [
      ...new Set(BASELINES.flatMap((b) => b.teacher.source === "cache" ? b.teacher.clsLayers : [])),
    ].filter((l) => l <= teacherLayers).sort((a, b) => a - b)
    : [];
  const cacheJob: Promise<CacheRef> = pool.run("final_cache", {
    teacherDir: teacher.dir,
    teacherSha256: teacher.sha256,
    settings: s,
    size: f.trainSize,
    seed: FINAL_TRAIN_SEED,
    clsLayers,
  });
  const others = [evalAll(teacherModel), ...(retrain ? [] : baselines.found.map(evalAll))];
  others.forEach((p) => p.catch(() => {})); // awaited below; no unhandled rejection meanwhile
  trainCache = await cacheJob;
  await Promise.all([
    ...searched.map((m, i) => trainJob(m, top[i])),
    ...(retrain ? baselines.found.map(baselineJob) : []),
    ...others,
  ]);

  const kept = baselines.found.filter((b) => !notTrained.some((n) => n.name === b.name));
  const models = [...searched, ...kept, teacherModel];
  const rows: TableRow[] = models.map((m) => {
    const clean = results.get(evalKey(m, "clean")) as Extract<
      FinalEvalResult,
      { what: "clean" }
    >;
    const attacks: Record<string, RecipeCell> = {};
    for (const r of recipes) {
      const a = results.get(evalKey(m, r)) as {
        metrics: AttackMetrics;
        seconds: number;
        outcomes?: string;
      };
      attacks[r] = {
        accuracyUnderAttack: a.metrics.accuracyUnderAttack / 100,
        underAttack: proportion(a.metrics.failed, a.metrics.total),
        outcomes: a.outcomes ?? "",
        attackSuccessRate: a.metrics.attackSuccessRate / 100,
        originalAccuracy: a.metrics.originalAccuracy / 100,
        avgPerturbedWordPercent: a.metrics.avgPerturbedWordPercent,
        avgNumQueries: a.metrics.avgNumQueries,
        seconds: a.seconds,
      };
    }
    const tb = trainedBaselines.get(m.name), ts = m.search ? trained.get(m.search.hash) : undefined;
    const correct = clean.correct ?? "";
    return {
      name: m.name,
      kind: m.kind,
      params: clean.params,
      compression: teacher.params / clean.params,
      devAccuracy: clean.devAccuracy,
      dev: correct
        ? proportion([...correct].filter((c) => c === "1").length, correct.length)
        : proportion(Math.round(clean.devAccuracy * clean.devSize), clean.devSize),
      devCorrect: correct,
      attacks,
      ...(m.search ? { search: m.search, trainedOn: trainSize } : {}),
      ...(tb ? { trainedOn: trainSize, training: { steps: tb.steps, ...tb.training } } : {}),
      ...(ts ? { training: { steps: ts.steps } } : {}),
    };
  });
  const devSize = (results.get("final_eval:teacher:clean") as { devSize: number }).devSize;
  return {
    dataset: s.dataset,
    kd,
    devSize,
    devExamplesAttacked: f.devExamples,
    queryBudget: f.queryBudget,
    recipes,
    recipesSkipped,
    baselinesMissing: [
      ...baselines.missing,
      ...notTrained.map((n) => `${n.name} (not trainable with this teacher: ${n.why})`),
    ],
    baselines: retrain ? "retrain" : "checkpoints",
    teacherParams: teacher.params,
    trainSize,
    rows,
    comparisons: pairedComparisons(rows, recipes),
  };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function describe(r: FinalEvalResult): string {
  if (r.what === "clean") {
    const c = r as Extract<FinalEvalResult, { what: "clean" }>;
    return `dev accuracy ${pct(c.devAccuracy)} (${c.devSize} examples)`;
  }
  const a = r as { metrics: AttackMetrics; seconds: number };
  return `accuracy under attack ${a.metrics.accuracyUnderAttack.toFixed(1)}%, success rate ${
    a.metrics.attackSuccessRate.toFixed(1)
  }% (${a.seconds.toFixed(0)} s)`;
}
