/**
 * Final stage of the search (main process; the work runs on the worker pool):
 * 1. the top `final.top` searched students by fitness are retrained from scratch (same seed
 *    as in the search) on a larger training set (`final.trainSize` examples of SST-2 train minus
 *    the held-out part; 0 = all of it) with teacher logits from a cache built here;
 * 2. every model — those students, the KD baselines found in experiments/kd_baselines/results/
 *    <name>/ (lib/models checkpoints; absent ones are listed as missing), and the teacher — is
 *    evaluated under ONE protocol on SST-2 dev: clean accuracy on the whole dev split, then each
 *    attack recipe on the same first `final.devExamples` dev examples with the same query
 *    budget, attack seed and attack resources (teacher embedding, teacher MLM for bae).
 * Every finished job is a record (key `final_train:<hash>` / `final_eval:<model>:<what>`), so a
 * resumed run skips the jobs already done; retrained students are saved under the run's
 * artifacts/final/<hash>/.
 */
import type { WorkerPool } from "../../lib/backend/mod.ts";
import type { Run } from "../../lib/track/mod.ts";
import type { Preset } from "./config.ts";
import type { CandidateRecord } from "./search_loop.ts";
import { cacheFor, type CacheRef, type TeacherInfo } from "./teacher.ts";
import {
  type FinalEvalResult,
  type FinalEvalTask,
  type FinalTrainResult,
  finalTrainSet,
  type ModelRef,
} from "./final_tasks.ts";
import type { WorkerTask } from "./worker.ts";
import { hasMlm } from "./attack_model.ts";
import type { AttackMetrics } from "../../lib/robustness/mod.ts";

export const FINAL_TRAIN_SEED = 3;

export interface FinalModel {
  name: string;
  kind: "searched" | "baseline" | "teacher";
  ref: ModelRef;
  /** Search-time figures of a searched student. */
  search?: { hash: string; fitness: number; cleanAccuracy: number; robustness: number };
  description?: string;
}

export interface RecipeCell {
  accuracyUnderAttack: number;
  attackSuccessRate: number;
  originalAccuracy: number;
  avgPerturbedWordPercent: number;
  avgNumQueries: number;
  seconds: number;
}

export interface TableRow {
  name: string;
  kind: FinalModel["kind"];
  params: number;
  compression: number;
  devAccuracy: number;
  attacks: Record<string, RecipeCell>;
  search?: FinalModel["search"];
  trainedOn?: number;
}

export interface FinalTable {
  dataset: string;
  devSize: number;
  devExamplesAttacked: number;
  queryBudget: number;
  recipes: string[];
  recipesSkipped: { recipe: string; why: string }[];
  baselinesMissing: string[];
  teacherParams: number;
  trainSize: number;
  rows: TableRow[];
}

const KNOWN_BASELINES = ["pkd", "tinybert", "distilbert", "bilstm"];

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
        ref: { kind: "checkpoint", dir: `${resultsDir}/${name}` },
        description: typeof manifest.description === "string" ? manifest.description : undefined,
      });
    } catch { /* not a checkpoint folder */ }
  }
  const missing = KNOWN_BASELINES.filter((n) => !found.some((f) => f.name === n));
  return { found, missing };
}

export interface FinalStageOptions {
  run: Run;
  pool: WorkerPool<WorkerTask, unknown>;
  preset: Preset;
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

  const recipes = f.recipes.filter((r) => r !== "bae" || hasMlm(teacher.dir));
  const recipesSkipped = f.recipes.filter((r) => !recipes.includes(r)).map((recipe) => ({
    recipe,
    why:
      `no teacher masked LM next to ${teacher.dir} (expected ../mlm) nor named by its manifest's initialisedFrom`,
  }));
  const baselines = findBaselines(o.baselinesDir);
  const teacherModel: FinalModel = {
    name: "teacher",
    kind: "teacher",
    ref: { kind: "checkpoint", dir: teacher.dir },
  };
  const searched: FinalModel[] = top.map((c, i) => ({
    name: `searched-${i + 1}`,
    kind: "searched",
    ref: { kind: "searched", dir: run.artifactPath(`final/${c.hash}`) },
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

  const evalJob = async (m: FinalModel, what: string) => {
    const key = `final_eval:${m.name}:${what}`;
    const prev = o.previous.get(key);
    if (prev && prev.result) {
      results.set(key, prev.result as FinalEvalResult);
      return;
    }
    const task: FinalEvalTask = {
      model: m.ref,
      dataset: s.dataset,
      maxLength: s.train.maxLength,
      what,
      devExamples: f.devExamples,
      queryBudget: f.queryBudget,
      teacherDir: teacher.dir,
    };
    const r = await pool.run({ kind: "final_eval", task }) as FinalEvalResult;
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
    const key = `final_train:${c.hash}`;
    const prev = o.previous.get(key);
    let ok = false;
    try {
      Deno.statSync(`${m.ref.dir}/genome.json`);
      ok = prev !== undefined;
    } catch { /* not saved */ }
    if (ok) {
      trained.set(c.hash, prev!.result as FinalTrainResult);
    } else {
      const r = await pool.run({
        kind: "final_train",
        task: {
          genome: c.genome,
          seed: o.run.info.seed,
          settings: s,
          train: {
            size: f.trainSize,
            seed: FINAL_TRAIN_SEED,
            epochs: f.epochs,
            cache: trainCache!,
          },
          outDir: m.ref.dir,
        },
      }) as FinalTrainResult;
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

  // The final training set's teacher cache is built by a worker (reused on resume) while the
  // other worker already attacks the teacher and the baselines.
  const trainSize = (await finalTrainSet(s, f.trainSize, FINAL_TRAIN_SEED)).length;
  log(`final stage: retraining ${top.length} students on ${trainSize} examples`);
  const cacheJob = pool.run({
    kind: "final_cache",
    task: {
      teacherDir: teacher.dir,
      teacherSha256: teacher.sha256,
      settings: s,
      size: f.trainSize,
      seed: FINAL_TRAIN_SEED,
    },
  }) as Promise<CacheRef>;
  const others = [evalAll(teacherModel), ...baselines.found.map(evalAll)];
  others.forEach((p) => p.catch(() => {})); // awaited below; no unhandled rejection meanwhile
  trainCache = await cacheJob;
  await Promise.all([...searched.map((m, i) => trainJob(m, top[i])), ...others]);

  const models = [...searched, ...baselines.found, teacherModel];
  const rows: TableRow[] = models.map((m) => {
    const clean = results.get(`final_eval:${m.name}:clean`) as Extract<
      FinalEvalResult,
      { what: "clean" }
    >;
    const attacks: Record<string, RecipeCell> = {};
    for (const r of recipes) {
      const a = results.get(`final_eval:${m.name}:${r}`) as {
        metrics: AttackMetrics;
        seconds: number;
      };
      attacks[r] = {
        accuracyUnderAttack: a.metrics.accuracyUnderAttack / 100,
        attackSuccessRate: a.metrics.attackSuccessRate / 100,
        originalAccuracy: a.metrics.originalAccuracy / 100,
        avgPerturbedWordPercent: a.metrics.avgPerturbedWordPercent,
        avgNumQueries: a.metrics.avgNumQueries,
        seconds: a.seconds,
      };
    }
    return {
      name: m.name,
      kind: m.kind,
      params: clean.params,
      compression: teacher.params / clean.params,
      devAccuracy: clean.devAccuracy,
      attacks,
      ...(m.search ? { search: m.search, trainedOn: trainSize } : {}),
    };
  });
  const devSize = (results.get("final_eval:teacher:clean") as { devSize: number }).devSize;
  return {
    dataset: s.dataset,
    devSize,
    devExamplesAttacked: f.devExamples,
    queryBudget: f.queryBudget,
    recipes,
    recipesSkipped,
    baselinesMissing: baselines.missing,
    teacherParams: teacher.params,
    trainSize,
    rows,
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

/** The table as Markdown (the command and scale note go above it, see main.ts). */
export function tableMarkdown(t: FinalTable): string {
  const head = [
    "model",
    "kind",
    "params",
    "compression",
    `dev acc (${t.devSize})`,
    ...t.recipes.map((r) => `${r} acc / ASR`),
  ];
  const lines = [
    `| ${head.join(" | ")} |`,
    `|${head.map((_, i) => (i < 2 ? "---" : "---:")).join("|")}|`,
  ];
  for (const r of t.rows) {
    lines.push(
      `| ${
        [
          r.name + (r.search ? ` (${r.search.hash.slice(0, 8)})` : ""),
          r.kind,
          (r.params / 1e6).toFixed(2) + "M",
          r.compression.toFixed(1) + "x",
          pct(r.devAccuracy),
          ...t.recipes.map((k) =>
            `${pct(r.attacks[k].accuracyUnderAttack)} / ${pct(r.attacks[k].attackSuccessRate)}`
          ),
        ].join(" | ")
      } |`,
    );
  }
  const notes = [
    "",
    `Attacks: the first ${t.devExamplesAttacked} dev examples, ${t.queryBudget} queries per example; ` +
    "acc = accuracy under attack (failed attacks / all examples), ASR = attack success rate " +
    "(succeeded / (succeeded + failed)), as TextAttack.",
  ];
  if (t.recipesSkipped.length) {
    notes.push(`Not run: ${t.recipesSkipped.map((r) => `${r.recipe} (${r.why})`).join("; ")}.`);
  }
  if (t.baselinesMissing.length) {
    notes.push(
      `KD baselines absent (no checkpoint in experiments/kd_baselines/results/<name>/): ${
        t.baselinesMissing.join(", ")
      }; run \`deno task kd-baselines\` first to include them.`,
    );
  }
  return lines.join("\n") + "\n" + notes.join("\n") + "\n";
}
