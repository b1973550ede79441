/**
 * Settings of the RoSearch experiment: what one candidate evaluation does (`EvalSettings`, sent
 * to the workers as plain JSON), the search and the final stage, and the three presets
 * (`default` = the reference run, `ci` = ROSEARCH_BUDGET=ci, `quick` = --quick).
 *
 * Choices (ours; RoSearch's are unknown, METHODS.md), measured on 2 shared cores:
 * - Proxy training (KD-NAS style): 4,000 examples of SST-2 train minus the held-out part, one
 *   epoch, batch 32, max 64 tokens, AdamW peak lr 2e-3 (students start from scratch), objective
 *   0.5 * T^2 KL(T = 2) + 0.5 * CE on gold labels (Hinton et al. 2015 with alpha = 0.5), teacher
 *   logits from the teacher-output cache.
 * - Validation: a fixed 500-example subset of the held-out split (size 2000, seed 13: the same
 *   split the teacher used for model selection), so dev stays untouched during the search.
 * - Search-time robustness: TextFooler (the word-substitution attack most KD-robustness papers
 *   report) with a budget of 200 queries per example on the first 50 examples of that
 *   validation subset; accuracy under attack = failed / total (TextAttack). Measured per
 *   candidate (50 examples, loaded machine): textfooler about 4 s and 17 queries per attacked
 *   example, robustness 26-28% for two random students; deepwordbug about 3 s, robustness 2-6%
 *   (too close to 0 to rank candidates); pwws about 8 s. Examples that run out of queries count
 *   as failed attacks (TextAttack's MAXIMIZED_QUERIES), so robustness under a budget is an upper
 *   bound of the unbudgeted figure (the budget rarely binds at ~17 queries per example).
 * - Fitness: `rosearch` (lib/search) with wAcc 1, wRob 1, target compression 5x, lambda 1,
 *   no latency budget. The search space keeps students within 4x-10x of the teacher's size.
 * - Final stage: the top three by fitness retrained on 16,000 examples for one epoch (a larger
 *   proxy: the full 65k split would take about 4x longer than the whole search on 2 cores),
 *   then every model (students, KD baselines, teacher) on the first 100 SST-2 dev examples under
 *   every recipe with 500 queries per example.
 */
import { z } from "zod";

export type DatasetChoice = "sst2" | "mrpc";
export type PresetName = "default" | "ci" | "quick";

export interface TrainSettings {
  epochs: number;
  batchSize: number;
  maxLength: number;
  learningRate: number;
  /** lib/distill objective (plain JSON). */
  objective: { kl: { weight: number; temperature: number }; ce: { weight: number } };
}

/** Everything a worker needs to evaluate a candidate the same way as every other candidate. */
export interface EvalSettings {
  dataset: DatasetChoice;
  /** Held-out part of the training split (validation during the search). */
  heldOut: { size: number; seed: number };
  /** Proxy training subset of the rest of the training split. */
  proxy: { size: number; seed: number };
  /** Validation subset of the held-out split (a seeded sample, in input order). */
  validation: { size: number; seed: number };
  /** Robustness: recipe, first `examples` of the validation subset, queries per example. */
  attack: { recipe: string; examples: number; queryBudget: number };
  train: TrainSettings;
  latency: { batchSize: number; seqLen: number; repeats: number; warmup: number };
}

export interface SearchSettings {
  budget: number;
  workers: number;
  populationSize: number;
  sampleSize: number;
  minRatio: number;
  maxRatio: number;
  fitness: { wAcc: number; wRob: number; targetRatio: number; lambda: number };
}

export interface FinalSettings {
  top: number;
  /** Training examples for the retraining (0 = the whole training split minus held-out). */
  trainSize: number;
  epochs: number;
  /** First N dev examples attacked. */
  devExamples: number;
  queryBudget: number;
  recipes: string[];
}

export interface Preset {
  eval: EvalSettings;
  search: SearchSettings;
  final: FinalSettings;
}

const TRAIN: TrainSettings = {
  epochs: 1,
  batchSize: 32,
  maxLength: 64,
  learningRate: 2e-3,
  objective: { kl: { weight: 0.5, temperature: 2 }, ce: { weight: 0.5 } },
};

const FITNESS = { wAcc: 1, wRob: 1, targetRatio: 5, lambda: 1 };
export const ALL_RECIPES = ["textfooler", "pwws", "deepwordbug", "textbugger", "bae"];

export function preset(name: PresetName, dataset: DatasetChoice = "sst2"): Preset {
  const pair = dataset === "mrpc";
  const heldOut = { size: pair ? 400 : 2000, seed: 13 };
  if (name === "default") {
    return {
      eval: {
        dataset,
        heldOut,
        proxy: { size: pair ? 3268 : 4000, seed: 1 },
        validation: { size: pair ? 400 : 500, seed: 2 },
        attack: { recipe: "textfooler", examples: 50, queryBudget: 200 },
        train: { ...TRAIN, epochs: pair ? 2 : 1, maxLength: pair ? 128 : 64 },
        latency: { batchSize: 32, seqLen: 48, repeats: 5, warmup: 1 },
      },
      search: {
        budget: 24,
        workers: 2,
        populationSize: 8,
        sampleSize: 3,
        minRatio: 4,
        maxRatio: 10,
        fitness: FITNESS,
      },
      final: {
        top: 3,
        trainSize: 16000,
        epochs: 1,
        devExamples: 100,
        queryBudget: 500,
        recipes: ALL_RECIPES,
      },
    };
  }
  const ci = name === "ci";
  return {
    eval: {
      dataset,
      heldOut,
      proxy: { size: ci ? 512 : 256, seed: 1 },
      validation: { size: ci ? 128 : 64, seed: 2 },
      attack: { recipe: "textfooler", examples: ci ? 10 : 6, queryBudget: 60 },
      train: { ...TRAIN, maxLength: pair ? 96 : 48 },
      latency: { batchSize: 8, seqLen: 32, repeats: 2, warmup: 1 },
    },
    search: {
      budget: 4,
      workers: 2,
      populationSize: 2,
      sampleSize: 2,
      minRatio: 4,
      maxRatio: 10,
      fitness: FITNESS,
    },
    final: {
      top: ci ? 2 : 1,
      trainSize: ci ? 1024 : 256,
      epochs: 1,
      devExamples: ci ? 10 : 4,
      queryBudget: 60,
      recipes: ci ? ALL_RECIPES : ["deepwordbug", "pwws"],
    },
  };
}

/** Command-line flags, validated at the boundary. */
export const FlagsSchema = z.object({
  budget: z.coerce.number().int().min(1).optional(),
  workers: z.coerce.number().int().min(1).max(16).optional(),
  dataset: z.enum(["sst2", "mrpc"]).default("sst2"),
  seed: z.coerce.number().int().default(42),
  teacher: z.string().min(1).optional(),
  quick: z.boolean().default(false),
  resume: z.string().min(1).optional(),
  "no-final": z.boolean().default(false),
  recipe: z.string().optional(),
  "runs-root": z.string().min(1).optional(),
  results: z.string().min(1).optional(),
  help: z.boolean().default(false),
});
export type Flags = z.infer<typeof FlagsSchema>;
