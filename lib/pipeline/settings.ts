/**
 * What one candidate evaluation does, as plain JSON (sent to Workers, stored in run.json): the
 * data subsets, the distillation, the search-time attack and the latency probe. Every candidate
 * of a run is evaluated with the same `EvalSettings`. The values of a study live in its config
 * (experiments/rosearch_sst2/config.ts holds RoSearch's presets and why).
 */
import type { HeldOutSettings } from "../project/mod.ts";

export type DatasetChoice = "sst2" | "mrpc";

/** Robust KD modes (kd_mode.ts): the perturbation term the distillation loop adds. */
export const KD_MODES = ["plain", "random-token", "embedding-pgd", "mate"] as const;
export type KdMode = typeof KD_MODES[number];

export interface TrainSettings {
  epochs: number;
  batchSize: number;
  maxLength: number;
  learningRate: number;
  /** lib/distill objective (plain JSON). */
  objective: { kl: { weight: number; temperature: number }; ce: { weight: number } };
  /**
   * Robust KD (kd_mode.ts): "plain" (default, absent in older runs) or the perturbation term
   * added to the objective: "random-token", "embedding-pgd" or "mate" (needs the live teacher).
   */
  kd?: KdMode;
}

/** Everything a worker needs to evaluate a candidate the same way as every other candidate. */
export interface EvalSettings {
  dataset: DatasetChoice;
  /**
   * Held-out part of the training split (validation during the search; lib/project). With
   * `sentences`, it is lib/data's leak-free `sentenceHeldOut`: `size` complete sentences of at
   * least `minWords` words, their phrases removed from every training pool; without, a random
   * sample of rows (`heldOutSplit`, which for SST-2 mostly holds phrases of training sentences).
   */
  heldOut: HeldOutSettings & { sentences?: { minWords: number } };
  /** Proxy training subset of the rest of the training split. */
  proxy: { size: number; seed: number };
  /** Validation subset of the held-out split (a seeded sample, in input order). */
  validation: { size: number; seed: number };
  /**
   * Robustness: recipe, queries per example, and the first `examples` of the validation subset
   * (one ordered list for every candidate). With `racing` (lib/search `raceCandidate`), `examples`
   * is the first step and the list is extended by `step` up to `cap` while the candidate could
   * still reach the top `topK`.
   */
  attack: {
    recipe: string;
    examples: number;
    queryBudget: number;
    racing?: { step: number; cap: number; topK: number };
  };
  /** The fitness (lib/search `computeFitness`) a racing candidate computes its interval with. */
  fitness?: { name: string; options: Record<string, number> };
  train: TrainSettings;
  latency: { batchSize: number; seqLen: number; repeats: number; warmup: number };
  /**
   * More latency probes, recorded by name in the candidate's `latencies` (KD-NAS: batch 1 and
   * batch 32); `latency` above stays the one the RoSearch fitness reads.
   */
  latencyProfiles?: {
    name: string;
    batchSize: number;
    seqLen: number;
    repeats: number;
    warmup: number;
  }[];
}

/** The final comparison of a search (top students retrained, every model attacked on dev). */
export interface FinalSettings {
  top: number;
  /** Training examples for the retraining (0 = the whole training split minus held-out). */
  trainSize: number;
  epochs: number;
  /** First N dev examples attacked. */
  devExamples: number;
  queryBudget: number;
  recipes: string[];
  /**
   * The KD baselines: "retrain" (default in new runs) trains each lib/distill baseline in this run
   * under the searched students' budget (same examples, epochs, schedule and teacher);
   * "checkpoints" evaluates the ones `deno task kd-baselines` saved (their own budgets).
   */
  baselines?: "retrain" | "checkpoints";
  /** Robust KD of every retrained model (TrainSettings.kd); default "plain". */
  kd?: KdMode;
}

/** Students' vocabulary (BERT uncased WordPiece) and position table. */
export const VOCAB_SIZE = 30522;
export const MAX_POSITIONS = 128;
