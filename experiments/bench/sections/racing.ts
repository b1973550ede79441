/**
 * What racing saves, measured side by side in one run: the same small search (regularized
 * evolution, 8 candidates, seed 7, lib/search's loop on 2 workers) with the default preset's
 * racing rule scaled down (10 examples first, steps of 10, cap 40, top 2) and with every candidate
 * attacked at the cap; attacked examples and wall time of each. Tiny settings (the bench's tiny
 * random teacher, 512 proxy examples, deepwordbug with 60 queries), so the figures are the
 * attack work of the rule, not accuracies; the default preset's own saving is printed by
 * `deno task rosearch` and stored in its run record (`racing`).
 */
import { createWorkerPool } from "../../../lib/backend/mod.ts";
import {
  type EvalSettings,
  localEngine,
  PIPELINE_WORKER,
  type PipelineTasks,
} from "../../../lib/pipeline/mod.ts";
import {
  type CandidateRecord,
  computeFitness,
  createEvolution,
  racingThreshold,
  runSearchLoop,
} from "../../../lib/search/mod.ts";
import { createSearchSpace } from "../../../lib/search_space/mod.ts";
import { preset } from "../../rosearch_sst2/config.ts";
import { benchTeacher } from "../_bench_teacher.ts";
import type { BenchRow, BenchSection } from "./types.ts";

const RACING = { step: 10, cap: 40, topK: 2 };

export const racingSection: BenchSection = {
  name: "racing",
  description:
    "attack work and wall time of a small search with racing vs every candidate at the cap",
  async run(ctx) {
    const rows: BenchRow[] = [];
    const row = (name: string, value: number, unit: string, note?: string) =>
      rows.push({ section: "racing", name, value, unit, ...(note ? { note } : {}) });
    const base = preset("default").eval;
    const settings: EvalSettings = {
      ...base,
      proxy: { size: 512, seed: 1 },
      validation: { size: 200, seed: 2 },
      attack: { recipe: "deepwordbug", examples: 10, queryBudget: 60, racing: RACING },
    };
    const bench = await benchTeacher("racing", settings);
    const budget = ctx.quick ? 4 : 8;
    const search = async (s: EvalSettings) => {
      const pool = createWorkerPool<PipelineTasks>(PIPELINE_WORKER, { size: 2, name: "bench" });
      const records: CandidateRecord[] = [];
      const t0 = performance.now();
      try {
        await runSearchLoop({
          strategy: createEvolution({
            space: createSearchSpace({ maxCells: 3, hiddenSizes: [64, 128] }),
            budget,
            populationSize: 4,
            seed: 7,
          }),
          engine: localEngine(pool, (ask, threshold) => ({
            genome: ask.genome,
            seed: 1,
            settings: s,
            threshold: typeof threshold === "number" ? threshold : undefined,
            teacher: { dir: bench.dir, params: bench.prep.info.params, latencyMs: 1 },
            caches: bench.prep.caches,
          })),
          run: {
            appendRecord: (r) => void records.push(r as unknown as CandidateRecord),
            logMetric() {},
            writeArtifact: (name) => name,
          },
          atAsk: (told) => racingThreshold(told, s.attack.racing),
          fitness: (m) =>
            computeFitness("rosearch", {
              cleanAccuracy: m.cleanAccuracy,
              robustness: m.robustness,
              params: m.params,
              teacherParams: bench.prep.info.params,
            }, s.fitness!.options),
        });
      } finally {
        await pool.close();
      }
      const attacked = records.reduce(
        (a, r) => a + ((r.metrics?.attack as { outcomes?: string })?.outcomes?.length ?? 0),
        0,
      );
      return { attacked, seconds: (performance.now() - t0) / 1000 };
    };
    try {
      const raced = await search(settings);
      const atCap = await search({
        ...settings,
        attack: { ...settings.attack, examples: RACING.cap, racing: undefined },
      });
      row("racing: examples attacked", raced.attacked, "examples", `${budget} candidates`);
      row("at the cap: examples attacked", atCap.attacked, "examples", `cap ${RACING.cap}`);
      row("attack work saved by racing", 100 * (1 - raced.attacked / atCap.attacked), "%");
      row("racing: search wall time", raced.seconds, "s");
      row("at the cap: search wall time", atCap.seconds, "s");
    } finally {
      await bench.remove();
    }
    return rows;
  },
};
