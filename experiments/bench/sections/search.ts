/**
 * RoSearch candidate-evaluation throughput with 1 and 2 workers (lib/backend worker pool +
 * lib/pipeline's worker) on the same fixed genomes with tiny proxy settings
 * (512 training examples = 16 steps, 128 validation examples, deepwordbug on 8 examples with
 * 60 queries; a few seconds per candidate).
 * Each pool first runs one warm-up evaluation per worker (backend, tokenizer, data sets),
 * then the timed batch: 8 evaluations of 2 fixed genomes, alternating (quick: 4). Speed-up =
 * wall time with one worker / wall time with two (target >= 1.7x on 2 free cores; other
 * processes on the machine lower it).
 *
 * The teacher is a tiny random BERT (1 layer, hidden 64) saved under runs/ with its caches,
 * because the bench may only write there; everything is removed afterwards.
 */
import { createWorkerPool } from "../../../lib/backend/mod.ts";
import {
  type CandidateTask,
  PIPELINE_WORKER,
  type PipelineTasks,
} from "../../../lib/pipeline/mod.ts";
import { benchTeacher } from "../_bench_teacher.ts";
import { Prng } from "../../../lib/random/mod.ts";
import { createSearchSpace, sampleGenome } from "../../../lib/search_space/mod.ts";
import { preset } from "../../rosearch_sst2/config.ts";
import type { BenchRow, BenchSection } from "./types.ts";

export const searchSection: BenchSection = {
  name: "search",
  description: "RoSearch candidate evaluations per minute with 1 and 2 workers, and the speed-up",
  async run(ctx) {
    const rows: BenchRow[] = [];
    const row = (name: string, value: number, unit: string, note?: string) =>
      rows.push({ section: "search", name, value, unit, ...(note ? { note } : {}) });
    const settings = preset("quick").eval;
    settings.proxy.size = 512;
    settings.validation.size = 128;
    settings.attack = { recipe: "deepwordbug", examples: 8, queryBudget: 60 };
    const bench = await benchTeacher("rosearch_search", settings);
    const { prep, dir: teacherDir } = bench;
    try {
      const space = createSearchSpace({ maxCells: 3, hiddenSizes: [64, 128] });
      const prng = Prng.fromSeed(2024);
      const n = ctx.quick ? 4 : 8;
      // The timed batch cycles through 2 sampled genomes so both workers get equal work (a
      // batch of unequal candidates would measure load imbalance, not parallel throughput).
      const pair = [sampleGenome(space, prng), sampleGenome(space, prng)];
      const genomes = Array.from({ length: n + 1 }, (_, i) => pair[i % 2]);
      const task = (i: number): CandidateTask => ({
        genome: genomes[i],
        seed: 1,
        settings,
        teacher: { dir: teacherDir, params: prep.info.params, latencyMs: prep.info.latencyMs },
        caches: prep.caches,
      });
      const wall: number[] = [];
      for (const size of [1, 2]) {
        const pool = createWorkerPool<PipelineTasks>(PIPELINE_WORKER, { size, name: "bench" });
        try {
          // warm-up
          await Promise.all(Array.from({ length: size }, () => pool.run("candidate", task(n))));
          const t0 = performance.now();
          await Promise.all(genomes.slice(0, n).map((_, i) => pool.run("candidate", task(i))));
          wall.push((performance.now() - t0) / 1000);
        } finally {
          await pool.close();
        }
        row(`${size} worker${size > 1 ? "s" : ""}: s per candidate (wall)`, wall.at(-1)! / n, "s");
        row(
          `${size} worker${size > 1 ? "s" : ""}: candidates per minute`,
          (60 * n) / wall.at(-1)!,
          "1/min",
        );
      }
      row(
        "speed-up 2 vs 1 workers",
        wall[0] / wall[1],
        "x",
        `${n} fixed genomes, tiny proxy settings; target >= 1.7x`,
      );
    } finally {
      await bench.remove();
    }
    return rows;
  },
};
