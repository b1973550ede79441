/**
 * One attack experiment: every recipe of the config against one model on the first n examples
 * of a data set's dev (else test) split. Each result is appended to the run's records.jsonl as
 * soon as it is produced, keyed `<recipe>/<example index>`, so an interrupted run resumes
 * (`resumeRun` + `completedKeys`) with nothing lost or repeated. Each record also carries the
 * seconds and victim rows it cost, so summaries over a resumed run add up all its sessions.
 *
 * At the end, per recipe, from every record of the run: TextAttack's metrics, logged with
 * context `{ split, attack: recipe }`, and the `summary.json` artifact.
 */
import { columnLabelsOf, datasetInfo } from "../../lib/data/mod.ts";
import {
  type AttackMetrics,
  attackMetrics,
  type AttackRecord,
  buildRecipe,
  type RecipeName,
  RECIPES,
  runAttack,
  summaryTable,
} from "../../lib/robustness/mod.ts";
import { attackResources, createModelVictim } from "../../lib/robustness/tfjs.ts";
import { readRun, type Run } from "../../lib/track/mod.ts";
import { createProgress } from "../../lib/viz/mod.ts";
import type { AttackConfig } from "./config.ts";
import { combinedTable } from "./combined_table.ts";
import { attackEmbedding, attackExamples, loadVictimModel, maxLengthOf } from "./setup.ts";

export interface RecipeSummary {
  recipe: string;
  citation: string;
  metrics: AttackMetrics;
  /** Wall time attacking (all sessions of the run). */
  seconds: number;
  /** Model rows computed and victim-cache hits (all sessions). */
  victimRows: number;
  victimCacheHits: number;
}

export interface ExperimentSummary {
  model: string;
  modelDir: string;
  dataset: string;
  split: string;
  /** How the examples were chosen. */
  examples: string;
  n: number;
  seed: number;
  queryBudget: number | null;
  embedding: string | null;
  recipes: Record<string, RecipeSummary>;
}

export interface RunExperimentOptions {
  /** Where text output goes; default console.log. */
  log?: (line: string) => void;
  /** Progress bars on stderr; default true. */
  progress?: boolean;
}

export const recordKey = (recipe: string, index: number) => `${recipe}/${index}`;

export async function runAttackExperiment(
  config: AttackConfig,
  run: Run,
  options: RunExperimentOptions = {},
): Promise<ExperimentSummary> {
  const { log = console.log, progress = true } = options;
  const info = datasetInfo(config.dataset);
  const { split, examples, available } = await attackExamples(config.dataset, config.n);
  if (examples.length < config.n) {
    log(`note: ${config.dataset} ${split} has ${available} examples; attacking all of them`);
  }
  const loaded = await loadVictimModel(config.modelDir);
  const { model } = loaded;
  try {
    if (model.numLabels !== info.numLabels) {
      throw new RangeError(
        `Model ${config.modelDir} has ${model.numLabels} labels ` +
          `but ${config.dataset} has ${info.numLabels} ` +
          `(${info.labelNames.join(", ")}); attack a model trained for this data set`,
      );
    }
    const recipes = config.recipes as RecipeName[];
    // The word embedding (the counter-fitted vectors; the teacher's table with --embedding
    // teacher, the victim's own with --embedding own) and, when a recipe needs one, the masked
    // LM: lib/robustness's one attack setup.
    const own = config.embedding !== "wordvec" && recipes.some((r) => RECIPES[r].needs.length > 0)
      ? await attackEmbedding(loaded, config.teacherDir, config.embedding)
      : undefined;
    const resources = await attackResources(recipes, {
      teacherDir: config.teacherDir,
      mlmDir: config.mlmDir,
      embedding: own ? { table: own.embedding, source: own.source } : undefined,
    });
    const { embedding, mlm } = resources;
    const embeddingSource = resources.embeddingSource ?? null;
    if (embeddingSource) log(`word embedding: ${embeddingSource}`);
    if (resources.mlmDir) log(`masked LM: ${resources.mlmDir}`);
    if (resources.mlmSkipped) log(`note: ${resources.mlmSkipped}`);
    const victim = createModelVictim(model, loaded.tokenizer, {
      batchSize: 64,
      maxLength: maxLengthOf(model),
    });
    const columnLabels = columnLabelsOf(config.dataset);
    const inputs = examples.map((e) => ({ text: e.text, textB: e.textB, label: e.label }));

    for (const recipe of recipes) {
      const attack = buildRecipe(recipe, {
        victim,
        embedding,
        mlm,
        queryBudget: config.queryBudget ?? undefined,
        batchSize: config.batchSize,
        columnLabels,
        seed: config.seed,
      });
      const done = run.completedKeys();
      const already = inputs.filter((_, i) => done.has(recordKey(recipe, i))).length;
      if (already === inputs.length) {
        log(`${recipe}: all ${inputs.length} examples already recorded`);
        continue;
      }
      if (already > 0) {
        log(`${recipe}: resuming, ${already}/${inputs.length} examples already recorded`);
      }
      const bar = createProgress({
        total: inputs.length,
        label: `attack ${recipe}`,
        mode: progress ? "auto" : "silent",
      });
      let count = already;
      const counts = { succeeded: 0, failed: 0, skipped: 0 };
      let t = performance.now(), rows0 = victim.queries, hits0 = victim.cacheHits;
      await runAttack(attack, inputs, {
        resume: done,
        keyOf: (_e, i) => recordKey(recipe, i),
        recordFields: { recipe, model: config.model, dataset: config.dataset, split },
        run: {
          appendRecord(record) {
            const now = performance.now();
            run.appendRecord({
              ...record,
              source: examples[(record as AttackRecord).index].source ?? null,
              seconds: (now - t) / 1000,
              victimRows: victim.queries - rows0,
              victimCacheHits: victim.cacheHits - hits0,
            });
            t = now, rows0 = victim.queries, hits0 = victim.cacheHits;
          },
        },
        onResult(result) {
          count++;
          if (result.resultType === "SUCCEEDED") counts.succeeded++;
          else if (result.resultType === "SKIPPED") counts.skipped++;
          else counts.failed++;
          bar.update(count, counts);
          t = performance.now(); // exclude the bookkeeping from the next example's time
        },
      });
      bar.done(counts);
    }

    // ---- summaries from every record of the run (earlier sessions included) ----------------
    const records = readRun(run.dir).records as unknown as (AttackRecord & {
      recipe: string;
      seconds: number;
      victimRows: number;
      victimCacheHits: number;
    })[];
    const summary: ExperimentSummary = {
      model: config.model,
      modelDir: config.modelDir,
      dataset: config.dataset,
      split,
      examples: `the first ${inputs.length} examples of ${config.dataset} ${split} ` +
        "(file order, same for every model)",
      n: inputs.length,
      seed: config.seed,
      queryBudget: config.queryBudget,
      embedding: embeddingSource,
      recipes: {},
    };
    for (const recipe of recipes) {
      const wanted = new Set(inputs.map((_, i) => recordKey(recipe, i)));
      const rs = records.filter((r) => r.recipe === recipe && wanted.has(r.key));
      if (rs.length !== wanted.size) {
        throw new Error(
          `${recipe}: ${rs.length} of ${wanted.size} records found in ${run.dir}/records.jsonl`,
        );
      }
      const metrics = attackMetrics(rs);
      const sum = (f: (r: typeof rs[number]) => number) => rs.reduce((a, r) => a + (f(r) ?? 0), 0);
      const s: RecipeSummary = {
        recipe,
        citation: RECIPES[recipe].citation,
        metrics,
        seconds: sum((r) => r.seconds),
        victimRows: sum((r) => r.victimRows),
        victimCacheHits: sum((r) => r.victimCacheHits),
      };
      summary.recipes[recipe] = s;
      const context = { split, attack: recipe };
      run.logMetrics({
        original_accuracy: metrics.originalAccuracy,
        accuracy_under_attack: metrics.accuracyUnderAttack,
        attack_success_rate: metrics.attackSuccessRate,
        avg_perturbed_word_percent: metrics.avgPerturbedWordPercent,
        avg_num_queries: metrics.avgNumQueries,
        attack_seconds: s.seconds,
      }, { context });
      log(
        `\n${recipe} (${
          RECIPES[recipe].citation
        }) against ${config.model} on ${config.dataset} ${split}, ` +
          `${inputs.length} examples, ${s.seconds.toFixed(1)} s`,
      );
      log(summaryTable(rs));
    }
    if (recipes.length > 1) {
      log("\n" + combinedTable(recipes.map((r) => summary.recipes[r])));
    }
    run.writeArtifact("summary.json", summary);
    return summary;
  } finally {
    model.dispose();
  }
}
