/**
 * Queue overhead, measured side by side in one run: the same small search (regularized
 * evolution, seed 7, 8 candidates; the bench's tiny random teacher, 512 proxy examples,
 * deepwordbug on 10 examples with 60 queries) on the local engine (2 Deno Workers) and on the
 * BullMQ engine (lib/queue) through a real redis-server started here on 127.0.0.1, with two
 * queue workers in this process that each hand their job to the same kind of Worker pool.
 * Rows: candidates per minute of each, the queue's overhead, per-job pickup latency (enqueue ->
 * a worker starts it) and notice latency (finished -> the coordinator has the result), and
 * whether both engines produced the same candidates in the same order (they must: the loop
 * tells in ask order). Workers on other machines add only network round trips to these.
 */
import { createWorkerPool } from "../../../lib/backend/mod.ts";
import {
  type CandidateResult,
  type CandidateTask,
  type EvalSettings,
  localEngine,
  PIPELINE_WORKER,
  type PipelineTasks,
} from "../../../lib/pipeline/mod.ts";
import { jobIdOf, queueEngine, serveQueue, startLocalRedis } from "../../../lib/queue/mod.ts";
import {
  type Ask,
  type CandidateRecord,
  computeFitness,
  createEvolution,
  type EvaluationEngine,
  runSearchLoop,
} from "../../../lib/search/mod.ts";
import { createSearchSpace, type Genome } from "../../../lib/search_space/mod.ts";
import { preset } from "../../rosearch_sst2/config.ts";
import { benchTeacher } from "../_bench_teacher.ts";
import type { BenchRow, BenchSection } from "./types.ts";

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN;
};

export const queueSection: BenchSection = {
  name: "queue",
  description: "candidates per minute on the local Worker pool vs BullMQ on Redis, 2 workers each",
  async run(ctx) {
    const rows: BenchRow[] = [];
    const row = (name: string, value: number, unit: string, note?: string) =>
      rows.push({ section: "queue", name, value, unit, ...(note ? { note } : {}) });
    const base = preset("default").eval;
    const settings: EvalSettings = {
      ...base,
      proxy: { size: 512, seed: 1 },
      validation: { size: 200, seed: 2 },
      attack: { recipe: "deepwordbug", examples: 10, queryBudget: 60 },
    };
    const bench = await benchTeacher("queue", settings);
    const budget = ctx.quick ? 4 : 8;
    const taskOf = (ask: Ask<Genome>): CandidateTask => ({
      genome: ask.genome,
      seed: 1,
      settings,
      teacher: { dir: bench.dir, params: bench.prep.info.params, latencyMs: 1 },
      caches: bench.prep.caches,
    });
    const search = async (
      engine: EvaluationEngine<Genome, CandidateResult & Record<string, unknown>>,
    ) => {
      const records: CandidateRecord[] = [];
      const t0 = performance.now();
      await runSearchLoop({
        strategy: createEvolution({
          space: createSearchSpace({ maxCells: 3, hiddenSizes: [64, 128] }),
          budget,
          populationSize: 4,
          seed: 7,
        }),
        engine,
        run: {
          appendRecord: (r) => void records.push(r as unknown as CandidateRecord),
          logMetric() {},
          writeArtifact: (name) => name,
        },
        fitness: (m) =>
          computeFitness("rosearch", {
            cleanAccuracy: m.cleanAccuracy,
            robustness: m.robustness,
            params: m.params,
            teacherParams: bench.prep.info.params,
          }, settings.fitness!.options),
      });
      return { records, seconds: (performance.now() - t0) / 1000 };
    };
    const redis = await startLocalRedis();
    try {
      const pool = createWorkerPool<PipelineTasks>(PIPELINE_WORKER, { size: 2, name: "bench" });
      let local;
      try {
        local = await search(localEngine(pool, taskOf));
      } finally {
        await pool.close();
      }
      const pools = [1, 2].map(() =>
        createWorkerPool<PipelineTasks>(PIPELINE_WORKER, { size: 1, name: "bench-queue" })
      );
      const workers = pools.map((p, i) =>
        serveQueue<CandidateTask, CandidateResult>({
          url: redis.url,
          queueName: "bench",
          name: "candidate",
          concurrency: 1,
          parse: (d) => d as CandidateTask,
          handle: (t) => p.run("candidate", t),
          label: `bench worker ${i + 1}`,
          log: () => {},
        })
      );
      const engine = queueEngine<Genome, CandidateResult & Record<string, unknown>>({
        url: redis.url,
        queueName: "bench",
        concurrency: 2,
        jobOf: (ask) => ({ id: jobIdOf("bench", ask.hash), name: "candidate", data: taskOf(ask) }),
        pollMs: 1000,
        log: () => {},
      });
      let queued;
      try {
        await Promise.all(workers.map((w) => w.ready()));
        queued = await search(engine);
      } finally {
        const lat = engine.latencies();
        await engine.close();
        await Promise.all(workers.map((w) => w.close()));
        await Promise.all(pools.map((p) => p.close()));
        row("BullMQ: median pickup latency", median(lat.pickupMs), "ms", "enqueue -> started");
        row("BullMQ: median notice latency", median(lat.noticeMs), "ms", "finished -> collected");
      }
      const perMin = (s: { records: unknown[]; seconds: number }) =>
        60 * s.records.length / s.seconds;
      row(
        "local pool: candidates per minute",
        perMin(local),
        "candidates/min",
        `${budget} candidates`,
      );
      row("BullMQ, 2 workers: candidates per minute", perMin(queued), "candidates/min");
      row(
        "BullMQ overhead vs local",
        100 * (queued.seconds / local.seconds - 1),
        "%",
        "target <= 5",
      );
      const key = (r: CandidateRecord) =>
        `${r.evaluation}:${r.hash.slice(0, 8)}:${r.fitness}:${
          (r.metrics?.attack as { outcomes?: string })?.outcomes
        }`;
      // records are appended as evaluations finish; compare them in ask order
      const inAskOrder = (rs: CandidateRecord[]) =>
        [...rs].sort((x, y) => x.evaluation - y.evaluation).map(key);
      const a = inAskOrder(local.records), b = inAskOrder(queued.records);
      const firstDiff = a.findIndex((x, i) => x !== b[i]);
      const same = a.length === b.length && firstDiff < 0;
      row(
        "same candidates and fitness, same order",
        same ? 1 : 0,
        "bool",
        same ? undefined : `first difference: local ${a[firstDiff]} vs BullMQ ${b[firstDiff]}`,
      );
    } finally {
      await redis.stop();
      await bench.remove();
    }
    return rows;
  },
};
