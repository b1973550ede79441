/**
 * Settings of the RoSearch experiment: what one candidate evaluation does (`EvalSettings`, sent
 * to the workers as plain JSON), the search and the final stage, and the presets (`default` = the
 * README's main command, `paper` = `--budget paper`, `ci` = ROSEARCH_BUDGET=ci, `quick` = --quick).
 *
 * Choices (ours; RoSearch's are unknown, METHODS.md), measured on 2 shared cores:
 * - Held-out data (SST-2): lib/data's leak-free `sentenceHeldOut`: 1,000 complete training
 *   sentences (not inside another row, at least 8 words; 20.7 words on average, dev 19.5), seed
 *   13, and every training row inside one of them leaves the training pools (11,073 rows). With
 *   the earlier row-level split (2,000 random rows), 89.6% of the held-out rows occurred inside
 *   a training row (measured: lib/data/sentence_split_test.ts); now 0%.
 * - Proxy training (KD-NAS style): 4,000 (paper: 8,000) examples of the leak-free training pool,
 *   one epoch, batch 32, max 64 tokens, AdamW peak lr 2e-3 (students start from scratch),
 *   objective 0.5 * T^2 KL(T = 2) + 0.5 * CE on gold labels (Hinton et al. 2015, alpha 0.5),
 *   teacher logits from the teacher-output cache.
 * - Validation: all 1,000 held-out sentences (clean accuracy: a Wilson half-width of about ±2.5
 *   points), so dev stays untouched during the search.
 * - Search-time robustness: TextFooler (the word-substitution attack most KD-robustness papers
 *   report), 200 queries per example, raced (lib/search `raceCandidate`) on ONE ordered list of
 *   held-out sentences: the first 50, then steps of 50 up to 100 (paper: 300) while the
 *   candidate's fitness interval still overlaps the top 3 (paper: 5). One recipe, not an average
 *   of several: a second (word-level PWWS costs about 2x TextFooler; character-level DeepWordBug
 *   leaves 2-6%, too close to 0 to rank candidates) would double the attack time of the 20-minute
 *   default. Examples that run out of queries count as failed attacks (MAXIMIZED_QUERIES), as in
 *   TextAttack.
 * - Fitness: `rosearch` (lib/search) with wAcc 1, wRob 1, target compression 5x, lambda 1,
 *   no latency budget. The search space keeps students within 4x-10x of the teacher's size.
 * - Final stage, one protocol: the top 3 (paper: 5) and the four KD baselines trained in the same
 *   run on the same 8,000 (paper: 16,000) examples for one epoch from the same teacher (each
 *   baseline with its own initialisation, layer losses and peak lr), then every model on the
 *   first 100 (paper: all 872) SST-2 dev examples under every recipe, 500 queries per example,
 *   with Wilson intervals and paired McNemar tests (lib/pipeline final_table.ts).
 */
import { z } from "zod";
import type {
  DatasetChoice,
  EvalSettings,
  FinalSettings,
  TrainSettings,
} from "../../lib/pipeline/mod.ts";
import { heldOutOf } from "../../lib/project/mod.ts";
import { RECIPE_NAMES } from "../../lib/robustness/mod.ts";
import { parseCliArgs, UsageError } from "../_shared/cli.ts";

export type PresetName = "default" | "ci" | "quick" | "paper";
export type { DatasetChoice, EvalSettings, FinalSettings, TrainSettings };

export interface SearchSettings {
  budget: number;
  workers: number;
  populationSize: number;
  sampleSize: number;
  minRatio: number;
  maxRatio: number;
  fitness: { wAcc: number; wRob: number; targetRatio: number; lambda: number };
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
/** Every recipe of the final table, in column order. */
export const ALL_RECIPES = ["textfooler", "pwws", "deepwordbug", "textbugger", "bae"];

/** Which presets `--budget NAME` selects (`--budget N` sets the candidate count instead). */
export const PRESET_NAMES = ["default", "ci", "quick", "paper"] as const;

export function preset(name: PresetName, dataset: DatasetChoice = "sst2"): Preset {
  const pair = dataset === "mrpc";
  // SST-2: the leak-free sentence-level held-out split (1,000 complete training sentences of at
  // least 8 words; their phrases leave the training pools); MRPC has no phrase rows.
  const heldOut = pair
    ? heldOutOf(dataset)
    : { size: 1000, seed: heldOutOf(dataset).seed, sentences: { minWords: 8 } };
  const fitness = { name: "rosearch", options: FITNESS };
  if (name === "default" || name === "paper") {
    const paper = name === "paper";
    return {
      eval: {
        dataset,
        heldOut,
        proxy: { size: pair ? 3268 : paper ? 8000 : 4000, seed: 1 },
        validation: { size: pair ? 400 : 1000, seed: 2 },
        attack: {
          recipe: "textfooler",
          examples: 50,
          queryBudget: 200,
          racing: { step: 50, cap: paper ? 300 : 100, topK: paper ? 5 : 3 },
        },
        fitness,
        train: { ...TRAIN, epochs: pair ? 2 : 1, maxLength: pair ? 128 : 64 },
        latency: { batchSize: 32, seqLen: 48, repeats: 5, warmup: 1 },
      },
      search: {
        budget: paper ? 120 : 24,
        workers: 2,
        populationSize: paper ? 20 : 8,
        sampleSize: paper ? 5 : 3,
        minRatio: 4,
        maxRatio: 10,
        fitness: FITNESS,
      },
      final: {
        top: paper ? 5 : 3,
        trainSize: paper ? 16000 : 8000,
        epochs: 1,
        devExamples: paper ? 872 : 100,
        queryBudget: 500,
        recipes: ALL_RECIPES,
        baselines: "retrain",
      },
    };
  }
  const ci = name === "ci";
  return {
    eval: {
      dataset,
      heldOut: pair ? heldOut : { ...heldOut, size: 200 },
      proxy: { size: ci ? 512 : 256, seed: 1 },
      validation: { size: ci ? 128 : 64, seed: 2 },
      attack: {
        recipe: "textfooler",
        examples: ci ? 10 : 6,
        queryBudget: 60,
        racing: { step: ci ? 5 : 4, cap: ci ? 20 : 10, topK: 2 },
      },
      fitness,
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
      baselines: "retrain",
    },
  };
}

/** Command-line flags, validated at the boundary. */
export const FlagsSchema = z.object({
  /** A preset name (default, ci, quick, paper) or the number of candidates. */
  budget: z.union([z.enum(["default", "ci", "quick", "paper"]), z.coerce.number().int().min(1)], {
    errorMap: () => ({ message: "expected default, ci, quick, paper or a number N >= 1" }),
  }).optional(),
  workers: z.coerce.number().int().min(1).max(16).optional(),
  dataset: z.enum(["sst2", "mrpc"]).default("sst2"),
  seed: z.coerce.number().int().default(42),
  teacher: z.string().min(1).optional(),
  quick: z.boolean().default(false),
  resume: z.string().min(1).optional(),
  "no-final": z.boolean().default(false),
  recipe: z.enum(RECIPE_NAMES as [string, ...string[]]).optional(),
  "runs-root": z.string().min(1).optional(),
  results: z.string().min(1).optional(),
  /** Where candidates are evaluated: this machine's Worker pool, or BullMQ workers on Redis. */
  engine: z.enum(["local", "bullmq"]).default("local"),
  redis: z.string().min(1).optional(),
  queue: z.string().regex(/^[A-Za-z0-9_-]+$/, "letters, digits, _ and - only").optional(),
  /**
   * Robust KD of the search's candidates (new runs) and of the final stage (per invocation: a
   * finished run can be resumed with it); checked by main.ts against lib/pipeline's KD_MODES
   * (this file stays free of TensorFlow.js).
   */
  kd: z.string().min(1).optional(),
  "final-kd": z.string().min(1).optional(),
  help: z.boolean().default(false),
});
export type Flags = z.infer<typeof FlagsSchema>;

export const HELP = `deno task rosearch [--budget N] [--workers N] [--dataset sst2|mrpc] [--seed N]
  [--teacher DIR] [--quick] [--resume RUN_DIR] [--no-final] [--recipe NAME]
  [--runs-root DIR] [--results DIR] [--engine local|bullmq [--redis URL] [--queue NAME]]
  [--kd MODE] [--final-kd MODE]
Defaults: the full reference run (24 candidates, 2 workers, final stage); ROSEARCH_BUDGET=ci or
--quick for tiny CI budgets. --recipe: the search-time attack (${RECIPE_NAMES.join(", ")}).
--engine bullmq: candidates become jobs on Redis (--redis, default redis://127.0.0.1:6379; queue
  "rosearch"), evaluated by \`deno task worker --redis URL\` processes on any machine; --workers is
  then the number of candidates in flight (the workers' slots in all); the final stage is
  local.
--kd / --final-kd: robust KD (plain, random-token, embedding-pgd, mate; default plain) of the
  search's candidates (new runs) / of the final stage's students and baselines. \`--resume RUN
  --final-kd mate\` on a finished run retrains its top students and baselines with MATE-KD and
  writes <results>/final_kd_mate/ with the paired change against the run's plain final stage.`;

/** Parses and validates the command line (errors name the flag and what is allowed). */
export function parseFlags(args: string[]): Flags {
  const { values } = parseCliArgs(
    {
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
      engine: { type: "string" },
      redis: { type: "string" },
      queue: { type: "string" },
      kd: { type: "string" },
      "final-kd": { type: "string" },
    },
    args,
  );
  const { debug: _, ...flags } = values;
  const r = FlagsSchema.safeParse(flags);
  if (!r.success) {
    const got = (k: PropertyKey) => JSON.stringify((flags as Record<PropertyKey, unknown>)[k]);
    throw new UsageError(
      r.error.issues.map((i) => `--${i.path.join(".")} ${got(i.path[0])}: ${i.message}`)
        .join("; "),
    );
  }
  return r.data;
}

/** What run.json's params hold (and what a resume reads back). */
export const RunParamsSchema = z.object({
  presetName: z.enum(["default", "ci", "quick", "paper"]),
  // written by this task's `preset()`: its three parts are checked, not every nested field
  preset: z.custom<Preset>(
    (v) =>
      ["eval", "search", "final"].every((k) =>
        typeof (v as Record<string, unknown>)?.[k] === "object"
      ),
    { message: "expected { eval, search, final } settings" },
  ),
  dataset: z.enum(["sst2", "mrpc"]),
  teacherDir: z.string().min(1),
  resultsDir: z.string().min(1),
  command: z.string(),
  noFinal: z.boolean(),
  /** This invocation's --final-kd (absent: plain). */
  finalKd: z.string().optional(),
});
export type RunParams = z.infer<typeof RunParamsSchema>;

/** Validates run.json's params for --resume, naming the file and the field. */
export function parseRunParams(raw: unknown, where: string): RunParams {
  const r = RunParamsSchema.safeParse(raw);
  if (!r.success) {
    throw new TypeError(
      `rosearch: ${where} is not a rosearch run's record: ${
        r.error.issues.map((i) => `params.${i.path.join(".")}: ${i.message}`).join("; ")
      }`,
    );
  }
  return r.data;
}
