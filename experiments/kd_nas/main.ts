/**
 * `deno task kdnas`: KD-NAS (Trivedi et al. 2023 v1; METHODS.md) on SST-2 at this machine's scale.
 *
 * 1. The teacher fills the proxy and validation teacher-output caches and is timed at batch 1 and
 *    at batch 32 (lib/pipeline `prepareTeacher`).
 * 2. KD-NAS search (lib/search `createKdNas`): episodes x candidates from the KD-NAS space
 *    (lib/search_space kdnas_space.ts); each candidate is distilled on the proxy subset,
 *    scored on the held-out sentences and timed (the "candidate" task of the evaluation engine,
 *    as RoSearch's); reward `kdnas_reward` = quality x (latency_b1 / (beta x teacher_b1))^alpha.
 * 3. Random search of the same budget over the same space (the controller's baseline); a
 *    candidate both searches pick is evaluated once and its record serves both.
 * 4. The hand-crafted TinyBERT-style student (4 x 64, 4 heads, FF 256) evaluated the same way.
 * 5. Final: the best KD-NAS architecture, the best one within +-25% of the hand-crafted
 *    student's batch-1 latency, and the hand-crafted student retrained on the final training
 *    set (the same examples, steps and teacher), then dev accuracy of each and of the teacher.
 * Every finished job is a record (runs/kd_nas/<id>/), so `--resume RUN_DIR` redoes nothing done.
 *
 *   deno task kdnas [--quick] [--episodes N] [--per-episode N] [--seed 42] [--teacher DIR]
 *                   [--resume RUN_DIR] [--results DIR] [--runs-root DIR]
 *                   [--engine local|bullmq [--redis URL] [--queue NAME]]
 * With `--engine bullmq` the search candidates are BullMQ jobs for `deno task worker` processes
 * (the hand-crafted student and the final stage run on the local pool).
 *
 * `--quick` (and ROSEARCH_BUDGET=ci): 2 x 3 candidates on 256 proxy examples (a smoke test).
 */
import { createWorkerPool, initBackend } from "../../lib/backend/mod.ts";
import {
  type CacheRef,
  type CandidateResult,
  type CandidateTask,
  FINAL_TRAIN_SEED,
  type FinalEvalResult,
  type FinalTrainResult,
  kdnasMarkdown,
  type KdNasModelInput,
  kdnasTable,
  localEngine,
  pinTeacherTiming,
  PIPELINE_WORKER,
  type PipelineTasks,
  type PreparedTeacher,
  prepareTeacher,
} from "../../lib/pipeline/mod.ts";
import { DEFAULT_TEACHER_DIR, relativeToProject as rel } from "../../lib/project/mod.ts";
import {
  type CandidateRecord,
  candidateRecords,
  computeFitness,
  createKdNas,
  type EvaluationEngine,
  type KdNas,
  kdnasQuality,
  restoreKdNas,
  runSearchLoop,
} from "../../lib/search/mod.ts";
import {
  describeKdNasArch,
  type Genome,
  genomeHash,
  type KdNasArch,
  kdnasGenome,
} from "../../lib/search_space/mod.ts";
import {
  createRun,
  invocationTimes,
  readRun,
  recordedJobs,
  resumeRun,
  type Run,
} from "../../lib/track/mod.ts";
import { lineChart } from "../../lib/viz/mod.ts";
import { reportRepairs } from "../_shared/experiment.ts";
import { poolProgress } from "../_shared/pool_progress.ts";
import {
  budgetFromEnv,
  commandLine,
  formatSeconds,
  PROJECT_ROOT,
  RUNS_ROOT,
} from "../_shared/project.ts";
import { failRunOn, parseCli } from "../_shared/cli.ts";
import { HAND_CRAFTED, type KdNasPreset, kdnasPreset } from "./config.ts";

const USAGE = "deno task kdnas [--quick] [--episodes N] [--per-episode N] [--seed N] " +
  "[--teacher DIR] [--resume RUN_DIR] [--results DIR] [--runs-root DIR] " +
  "[--engine local|bullmq [--redis URL] [--queue NAME]]";
export const RESULTS_ROOT = `${PROJECT_ROOT}experiments/kd_nas/results`;

interface Params {
  preset: KdNasPreset;
  presetName: "default" | "ci";
  teacherDir: string;
  resultsDir: string;
  command: string;
}

function positive(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`--${name}: expected N >= 1, got ${v}`);
  return n;
}

async function openRun(): Promise<{ run: Run; p: Params; resumed: boolean }> {
  const { values } = parseCli({
    task: "kdnas",
    usage: USAGE,
    options: {
      quick: { type: "boolean", default: false },
      episodes: { type: "string" },
      "per-episode": { type: "string" },
      seed: { type: "string", default: "42" },
      teacher: { type: "string" },
      resume: { type: "string" },
      results: { type: "string" },
      "runs-root": { type: "string" },
      engine: { type: "string", default: "local" },
      redis: { type: "string" },
      queue: { type: "string" },
    },
  });
  if (values.engine !== "local" && values.engine !== "bullmq") {
    throw new RangeError(`--engine: expected local or bullmq, got ${values.engine}`);
  }
  engineFlags = { engine: values.engine, redis: values.redis, queue: values.queue };
  if (values.resume) {
    const run = await resumeRun(values.resume, { repoDir: PROJECT_ROOT });
    reportRepairs(run);
    return { run, p: run.info.params as unknown as Params, resumed: true };
  }
  const presetName = values.quick || budgetFromEnv() === "ci" ? "ci" : "default";
  const preset = kdnasPreset(presetName);
  preset.search.episodes = positive("episodes", values.episodes) ?? preset.search.episodes;
  preset.search.perEpisode = positive("per-episode", values["per-episode"]) ??
    preset.search.perEpisode;
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) throw new RangeError(`--seed: expected an integer, got ${seed}`);
  const p: Params = {
    preset,
    presetName,
    teacherDir: values.teacher ?? DEFAULT_TEACHER_DIR,
    resultsDir: values.results ?? (presetName === "ci" ? `${RESULTS_ROOT}/ci` : RESULTS_ROOT),
    command: commandLine("kdnas"),
  };
  const run = await createRun("kd_nas", {
    params: p as unknown as Record<string, unknown>,
    seed,
    root: values["runs-root"] ?? RUNS_ROOT,
    repoDir: PROJECT_ROOT,
  });
  return { run, p, resumed: false };
}

type Result = CandidateResult & Record<string, unknown>;
type Engine = EvaluationEngine<Genome, Result> & { close?: () => Promise<void> };

/** This invocation's engine flags (per invocation, like RoSearch's: not stored in run.json). */
let engineFlags: { engine: "local" | "bullmq"; redis?: string; queue?: string } = {
  engine: "local",
};

/**
 * The evaluation engine: the local Worker pool, or BullMQ on Redis (`deno task worker --redis
 * URL` processes evaluate the candidates; the job id is run id + genome hash, so the KD-NAS and
 * random searches share a candidate's job).
 */
async function engineOf(
  run: Run,
  prep: PreparedTeacher,
  pool: ReturnType<typeof createWorkerPool<PipelineTasks>>,
  taskOf: (g: Genome) => CandidateTask,
  concurrency: number,
): Promise<Engine> {
  if (engineFlags.engine === "local") return localEngine(pool, (ask) => taskOf(ask.genome));
  const { checkRedis, DEFAULT_REDIS_URL, redactUrl } = await import("../../lib/queue/mod.ts");
  const { bullmqEngine, DEFAULT_QUEUE } = await import("../../lib/pipeline/queue.ts");
  const url = engineFlags.redis ?? DEFAULT_REDIS_URL;
  await checkRedis(url);
  const queueName = engineFlags.queue ?? DEFAULT_QUEUE;
  console.log(
    `engine: BullMQ on ${redactUrl(url)}, queue "${queueName}"; start workers with: ` +
      `deno task worker --redis ${redactUrl(url)}`,
  );
  return bullmqEngine({
    url,
    runId: run.info.runId,
    concurrency,
    teacherPath: rel(prep.info.dir),
    teacherSha256: prep.info.sha256,
    queueName,
  }, (ask) => taskOf(ask.genome));
}

/** One search (KD-NAS or its random baseline) through the shared loop; its strategy state. */
async function search(
  run: Run,
  name: "kdnas" | "random",
  strategy: KdNas,
  engine: Engine,
  fitness: (m: Result) => ReturnType<typeof computeFitness>,
  budget: number,
): Promise<KdNas> {
  const t0 = performance.now();
  const loop = await runSearchLoop({
    strategy,
    engine,
    run,
    previous: candidateRecords(readRun(run.dir).records),
    stateName: `${name}_state.json`,
    fitness,
    onRecord: (rec, best) => {
      const m = rec.metrics as Result | null;
      const arch = strategy.archOf(rec.hash);
      console.log(
        `[${name} ${rec.evaluation}/${budget}] ${arch ? describeKdNasArch(arch) : rec.hash} ` +
          (m
            ? `acc ${(100 * m.cleanAccuracy).toFixed(1)}% b1 ${
              m.latencies?.b1.medianMs.toFixed(1)
            } ms reward ${rec.fitness!.toFixed(4)} (best ${best.toFixed(4)})`
            : `FAILED: ${rec.error}`),
      );
    },
  });
  console.log(
    `${name}: ${loop.evaluated} evaluated now, ${loop.recovered} told from records, ` +
      `${loop.failed} failed (${formatSeconds((performance.now() - t0) / 1000)})`,
  );
  return strategy;
}

function strategyOf(run: Run, name: string, make: () => KdNas): KdNas {
  try {
    return restoreKdNas(JSON.parse(Deno.readTextFileSync(run.artifactPath(`${name}_state.json`))));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return make();
    throw e;
  }
}

async function main(): Promise<void> {
  const t0 = performance.now();
  await initBackend({ prefer: "wasm" });
  const { run, p, resumed } = await openRun();
  failRunOn(run);
  const s = p.preset.search, r = p.preset.reward;
  const budget = s.episodes * s.perEpisode;
  console.log(
    `KD-NAS (${p.presetName}: ${s.episodes} episodes x ${s.perEpisode} candidates, and random ` +
      `search of the same budget)${resumed ? " RESUMED" : ""}\n  run ${rel(run.dir)}`,
  );
  // one teacher timing per run: a resumed invocation scores on the first one's scale
  const prep: PreparedTeacher & { pinned: boolean } = pinTeacherTiming(
    run,
    await prepareTeacher(p.teacherDir, p.preset.eval),
  );
  const teacherLatency = prep.info.latencies!;
  console.log(
    `teacher: ${(prep.info.params / 1e6).toFixed(2)}M parameters; latency b1 ${
      teacherLatency.b1.medianMs.toFixed(1)
    } ms, b32 ${teacherLatency.b32.medianMs.toFixed(1)} ms` +
      (prep.pinned ? " (the run's first timing)" : ""),
  );
  const pool = createWorkerPool<PipelineTasks>(PIPELINE_WORKER, { size: s.workers, name: "kdnas" });
  const progress = poolProgress("kdnas", pool);
  try {
    const taskOf = (genome: Genome): CandidateTask => ({
      genome,
      seed: run.info.seed,
      settings: p.preset.eval,
      teacher: { dir: prep.info.dir, params: prep.info.params, latencyMs: prep.info.latencyMs },
      caches: prep.caches,
    });
    const engine = await engineOf(run, prep, pool, taskOf, s.workers);
    const fitness = (m: Result) =>
      computeFitness("kdnas_reward", {
        cleanAccuracy: m.cleanAccuracy,
        robustness: m.robustness,
        latencyMs: m.latencies![r.profile].medianMs,
        teacherLatencyMs: teacherLatency[r.profile].medianMs,
      }, { alpha: r.alpha, beta: r.beta, gamma: r.gamma });
    const common = {
      episodes: s.episodes,
      perEpisode: s.perEpisode,
      poolSize: s.poolSize,
      iterations: s.iterations,
    };
    const kdnas = await search(
      run,
      "kdnas",
      strategyOf(
        run,
        "kdnas",
        () => createKdNas({ ...common, epsilon: s.epsilon, seed: run.info.seed }),
      ),
      engine,
      fitness,
      budget,
    );
    const random = await search(
      run,
      "random",
      strategyOf(run, "random", () =>
        createKdNas({
          ...common,
          epsilon: { start: 1, decay: 0, min: 1 },
          seed: run.info.seed + 1,
        })),
      engine,
      fitness,
      budget,
    );

    // the hand-crafted student, evaluated like every candidate (once)
    const records = () => new Map(readRun(run.dir).records.map((x) => [x.key, x]));
    const handGenome = kdnasGenome(HAND_CRAFTED);
    const handHash = genomeHash(handGenome);
    const handKey = `handcrafted:${handHash}`;
    const known = records().get(handHash) ?? records().get(handKey);
    let handMetrics: Result;
    if (known?.metrics) handMetrics = known.metrics as Result;
    else {
      handMetrics = await pool.run("candidate", taskOf(handGenome)) as Result;
      run.appendRecord({ key: handKey, kind: "handcrafted", hash: handHash, metrics: handMetrics });
    }
    const handReward = fitness(handMetrics).fitness;

    // the final stage
    const told = (st: KdNas) =>
      st.state().history.filter((c) => Number.isFinite(c.reward)).sort((a, b) =>
        b.reward! - a.reward!
      );
    const metricsOf = (hash: string) =>
      (records().get(hash) as unknown as CandidateRecord).metrics as Result;
    const found = told(kdnas);
    if (found.length === 0) throw new Error("kdnas: no candidate was evaluated successfully");
    const handB1 = handMetrics.latencies!.b1.medianMs;
    const near = found.find((c) =>
      Math.abs(metricsOf(c.hash).latencies!.b1.medianMs / handB1 - 1) <=
        p.preset.final.latencyTolerance
    );
    const finalists: { name: string; arch: KdNasArch; kind: "found" | "hand-crafted" }[] = [
      { name: "kdnas-best", arch: found[0].arch, kind: "found" },
      ...(near && near.hash !== found[0].hash
        ? [{ name: "kdnas-at-latency", arch: near.arch, kind: "found" as const }]
        : []),
      { name: "hand-crafted", arch: HAND_CRAFTED, kind: "hand-crafted" },
    ];
    const job = recordedJobs(run);
    const f = p.preset.final;
    const cache = await pool.run("final_cache", {
      teacherDir: prep.info.dir,
      teacherSha256: prep.info.sha256,
      settings: p.preset.eval,
      size: f.trainSize,
      seed: FINAL_TRAIN_SEED,
    }) as CacheRef;
    const evalClean = (name: string, dir: string) =>
      job(`final_eval:${name}:clean`, () =>
        pool.run("final_eval", {
          modelDir: dir,
          dataset: "sst2",
          maxLength: p.preset.eval.train.maxLength,
          what: "clean",
          devExamples: 0,
          queryBudget: 1,
          teacherDir: prep.info.dir,
        })) as Promise<Extract<FinalEvalResult, { what: "clean" }>>;
    const models: KdNasModelInput[] = await Promise.all([
      ...finalists.map(async (m) => {
        const genome = kdnasGenome(m.arch), hash = genomeHash(genome);
        const dir = run.artifactPath(`final/${hash}`);
        const t = await job(`final_train:${hash}`, () =>
          pool.run("final_train", {
            genome,
            seed: run.info.seed,
            settings: p.preset.eval,
            train: { size: f.trainSize, seed: FINAL_TRAIN_SEED, epochs: f.epochs, cache },
            outDir: dir,
          })) as FinalTrainResult;
        const e = await evalClean(m.name, dir);
        const sm = m.kind === "hand-crafted" ? handMetrics : metricsOf(hash);
        console.log(
          `  ${m.name} ${describeKdNasArch(m.arch)}: dev ${(100 * e.devAccuracy).toFixed(1)}%`,
        );
        return {
          name: m.name,
          kind: m.kind,
          description: describeKdNasArch(m.arch),
          params: e.params,
          devCorrect: e.correct ?? "",
          latencies: sm.latencies!,
          search: {
            reward: m.kind === "hand-crafted" ? handReward : fitness(sm).fitness,
            proxyAccuracy: sm.cleanAccuracy,
          },
          steps: t.steps,
        };
      }),
      evalClean("teacher", prep.info.dir).then((e) => ({
        name: "teacher",
        kind: "teacher" as const,
        description: "BERT L4 H256 A4 I4x gelu",
        params: e.params,
        devCorrect: e.correct ?? "",
        latencies: teacherLatency,
      })),
    ]);
    await engine.close?.();
    writeOutputs(run, p, kdnasTable(models, ["b1", "b32"]), kdnas, random, t0);
    run.finish("finished");
  } finally {
    progress.done();
    await pool.close();
  }
}

function writeOutputs(
  run: Run,
  p: Params,
  table: ReturnType<typeof kdnasTable>,
  kdnas: KdNas,
  random: KdNas,
  t0: number,
): void {
  const out = p.resultsDir, s = p.preset.search, r = p.preset.reward, f = p.preset.final;
  Deno.mkdirSync(`${out}/charts`, { recursive: true });
  const q = kdnasQuality(kdnas.state()), qr = kdnasQuality(random.state());
  const header = `# KD-NAS on SST-2: found students vs the hand-crafted TinyBERT-style student ` +
    `vs the teacher\n\nCommand: \`${p.command}\` (run ${rel(run.dir)}, started ${
      run.info.start.slice(0, 16).replace("T", " ")
    } UTC; wall time per invocation: ${
      invocationTimes(run.info.history, (performance.now() - t0) / 1000)
        .replace("(this one: search + final stage)", "(this one)")
    }; a resumed invocation redoes nothing in the run's records). Search: ` +
    `${s.episodes} episodes x ${s.perEpisode} candidates (pool ${s.poolSize}, epsilon ` +
    `${s.epsilon.start} - ${s.epsilon.decay}/episode, floor ${s.epsilon.min}; LSTM controller), ` +
    `each distilled on ${p.preset.eval.proxy.size} proxy examples and scored on ` +
    `${p.preset.eval.validation.size} held-out sentences; reward = quality x ` +
    `(latency_${r.profile} / (${r.beta} x teacher latency_${r.profile}))^${r.alpha}` +
    (r.gamma > 0
      ? `, quality = ${1 - r.gamma} acc + ${r.gamma} robustness`
      : ", quality = accuracy") +
    `. Final: each student retrained on the same ${f.trainSize} examples for ${f.epochs} ` +
    `epoch(s) (${table.rows.find((x) => x.steps)?.steps} steps) from the same teacher; dev ` +
    `accuracy on all of SST-2 dev. Latency: median of the repeats on this 2-core CPU (wasm), ` +
    `seq. length 64; "kdnas-at-latency" is the best KD-NAS candidate within ` +
    `±${100 * f.latencyTolerance}% of the hand-crafted student's batch-1 latency.`;
  const md = kdnasMarkdown(table, header) + "\n" + qualityMarkdown(q, qr) + "\n";
  Deno.writeTextFileSync(`${out}/table.md`, md);
  Deno.writeTextFileSync(
    `${out}/table.json`,
    JSON.stringify(
      { command: p.command, run: rel(run.dir), ...table, quality: { kdnas: q, random: qr } },
      null,
      1,
    ) + "\n",
  );
  const rho = q.flatMap((x) =>
    (["lstm", "mlp"] as const).flatMap((k) =>
      x.spearman[k] === null ? [] : [{ episode: x.episode, spearman: x.spearman[k]!, model: k }]
    )
  );
  const charts = {
    "controller_rank_correlation.svg": rho.length
      ? lineChart(rho, {
        x: "episode",
        y: "spearman",
        series: "model",
        title: "KD-NAS controller: predicted vs measured reward",
        subtitle: "Spearman per episode on its held-out candidates; the LSTM picks, the MLP " +
          "is the shadow",
      }).svg
      : null,
    "best_reward_vs_random.svg": lineChart([
      ...q.map((x) => ({
        episode: x.episode,
        "best reward so far": x.globalBest,
        search: "KD-NAS",
      })),
      ...qr.map((x) => ({
        episode: x.episode,
        "best reward so far": x.globalBest,
        search: "random",
      })),
    ], {
      x: "episode",
      y: "best reward so far",
      series: "search",
      title: "Best reward so far: KD-NAS vs random search",
      subtitle: "the same budget per episode over the same space",
    }).svg,
  };
  for (const [name, svg] of Object.entries(charts)) {
    if (svg) Deno.writeTextFileSync(`${out}/charts/${name}`, svg);
  }
  console.log(`\n${md}\nwrote ${rel(out)}/table.md`);
}

function qualityMarkdown(
  q: ReturnType<typeof kdnasQuality>,
  qr: ReturnType<typeof kdnasQuality>,
): string {
  const f = (x: number | null) => (x === null ? "–" : x.toFixed(2));
  return [
    "### The controller, per episode",
    "",
    "| episode | epsilon | controller picks | Spearman LSTM | Spearman MLP | best reward | " +
    "best so far | random: best so far |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...q.map((x, i) =>
      `| ${x.episode} | ${x.epsilon.toFixed(2)} | ${x.controllerPicks}/${x.n} | ` +
      `${f(x.spearman.lstm)} | ${f(x.spearman.mlp)} | ${x.best.toFixed(4)} | ` +
      `${x.globalBest.toFixed(4)} | ${qr[i] ? qr[i].globalBest.toFixed(4) : "–"} |`
    ),
    "",
    "Spearman: rank correlation between the reward the model predicted when the candidates were " +
    "picked and the reward measured afterwards (the model had not seen them; n = the episode's " +
    "candidates, so each value is noisy).",
  ].join("\n");
}

if (import.meta.main) await main();
