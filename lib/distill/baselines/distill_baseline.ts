/**
 * Distils one KD baseline (its student, objective, teacher source and learning rate) on a set of
 * examples: the training step of `deno task kd-baselines` and of a search's final comparison
 * (lib/pipeline), so both train a baseline the same way. The student is built with `seed`, the
 * training order and dropout use `seed + 1`. The caller disposes the student.
 */
import {
  type BertTokenizer,
  bucketBatches,
  type EncodedBatch,
  type Example,
} from "../../data/mod.ts";
import type { BertModel, Classifier } from "../../models/mod.ts";
import {
  distill,
  type DistillEvaluation,
  type DistillProgress,
  type DistillSummary,
} from "../distill.ts";
import { type Objective, parseObjective } from "../objective.ts";
import type { TeacherCache } from "../teacher_cache.ts";
import type { DistillAugmenter } from "../augmenter.ts";
import type { Baseline } from "./types.ts";

export interface DistillBaselineOptions {
  teacher: BertModel;
  /** Teacher outputs for `train` (index i = train[i]); needed by "cache" baselines. */
  cache: TeacherCache | null;
  train: readonly Example[];
  tokenizer: BertTokenizer;
  maxLength: number;
  seed: number;
  /** Default the baseline's own (32 when it sets none). */
  batchSize?: number;
  epochs?: number;
  maxSteps?: number;
  /** Default the baseline's own peak learning rate. */
  learningRate?: number;
  validation?: EncodedBatch[];
  evalEvery?: number;
  onProgress?: (p: DistillProgress) => void;
  onEvaluate?: (e: DistillEvaluation) => void;
  /**
   * Robust KD (lib/pipeline kd_mode.ts): this perturbation term is added to the baseline's own
   * objective; the baseline then trains from the live teacher even when it reads a cache.
   */
  augmenter?: DistillAugmenter;
}

export interface DistilledBaseline {
  student: Classifier;
  summary: DistillSummary;
  objective: Objective;
  batchSize: number;
  learningRate: number;
}

export async function distillBaseline(
  baseline: Baseline,
  o: DistillBaselineOptions,
): Promise<DistilledBaseline> {
  const objective = parseObjective(baseline.objective(o.teacher.config));
  const source = baseline.teacher.source === "cache" && !o.augmenter ? o.cache : o.teacher;
  if (source === null) {
    throw new TypeError(`KD baseline ${baseline.name} needs the teacher-output cache`);
  }
  const batchSize = o.batchSize ?? baseline.batchSize ?? 32;
  const learningRate = o.learningRate ?? baseline.learningRate;
  const student = baseline.createStudent(o.teacher, { seed: o.seed });
  try {
    const summary = await distill(source, student, {
      train: (_epoch, prng) =>
        bucketBatches(o.train as Example[], o.tokenizer, {
          batchSize,
          maxLength: o.maxLength,
          prng,
        }),
      validation: o.validation,
    }, {
      objective,
      epochs: o.epochs,
      maxSteps: o.maxSteps,
      learningRate,
      evalEvery: o.evalEvery,
      seed: o.seed + 1,
      onProgress: o.onProgress,
      onEvaluate: o.onEvaluate,
      ...(o.augmenter ? { augmenter: o.augmenter } : {}),
    });
    return { student, summary, objective, batchSize, learningRate };
  } catch (e) {
    student.dispose();
    throw e;
  }
}
