/**
 * Worker-side jobs of the final stage (tfjs): retrain a searched student on the larger training
 * set and save it (a lib/models checkpoint of kind "searched"); clean dev accuracy of any model;
 * one attack recipe on the first N dev examples of any model. Models are referenced by
 * checkpoint folder, so jobs can run on any worker.
 */
import * as tf from "@tensorflow/tfjs";
import { bucketBatches, createBertTokenizer, loadSplit } from "../data/mod.ts";
import {
  correctByExample,
  distillBaseline,
  evaluateAccuracy,
  selectBaselines,
} from "../distill/mod.ts";
import {
  BertModel,
  type Classifier,
  loadCheckpoint,
  loadModel,
  saveCheckpoint,
} from "../models/mod.ts";
import { attackModel, type AttackOutcome, attackResources } from "../robustness/tfjs.ts";
import type { Genome } from "../search_space/mod.ts";
import { buildStudent, saveSearchedStudent } from "../search_space/tfjs.ts";
import { type EvalSettings, MAX_POSITIONS, VOCAB_SIZE } from "./settings.ts";
import { finalTrainSet, searchData } from "./search_data.ts";
import { openCache, trainStudent } from "./evaluate_candidate.ts";
import { checkKdMode, type KdAugmenter, kdAugmenter } from "./kd_mode.ts";
import { cacheFor, type CacheRef } from "./teacher.ts";

export interface FinalCacheTask {
  teacherDir: string;
  teacherSha256: string;
  settings: EvalSettings;
  size: number;
  seed: number;
  /** Teacher layers whose [CLS] state the retrained KD baselines need (PKD). */
  clsLayers?: number[];
}

/**
 * Builds (or reuses) the teacher-output cache of the final training set. A worker job, so the
 * main process's event loop (which feeds the pool) never blocks on the teacher's forward passes.
 */
export async function buildFinalCache(task: FinalCacheTask): Promise<CacheRef> {
  const s = task.settings;
  const examples = await finalTrainSet(s, task.size, task.seed);
  const { model } = await loadModel(task.teacherDir);
  try {
    return cacheFor(model, examples, {
      split: `${s.dataset}/train-minus-heldout(${s.heldOut.size},${s.heldOut.seed})/final(${
        task.size || "all"
      },${task.seed})`,
      maxLength: s.train.maxLength,
      teacherSha256: task.teacherSha256,
      hidden: task.clsLayers?.length ? { layers: task.clsLayers, pooling: "cls" } : undefined,
    }, await createBertTokenizer());
  } finally {
    model.dispose();
  }
}

/** Accuracy on the search's validation subset (the held-out sentences). */
export async function validationAccuracyOf(
  student: Classifier,
  settings: EvalSettings,
): Promise<number> {
  const { validation } = await searchData(settings);
  const tokenizer = await createBertTokenizer();
  return evaluateAccuracy(
    student,
    bucketBatches(validation, tokenizer, {
      batchSize: 128,
      maxLength: settings.train.maxLength,
      shuffle: false,
    }),
  );
}

export interface FinalTrainTask {
  genome: Genome;
  seed: number;
  settings: EvalSettings;
  train: { size: number; seed: number; epochs: number; cache: CacheRef };
  outDir: string;
  /** The teacher's folder (robust KD, `settings.train.kd`, trains from the live teacher). */
  teacherDir?: string;
}

export interface FinalTrainResult {
  params: number;
  steps: number;
  seconds: number;
  validationAccuracy: number;
}

export async function finalTrain(task: FinalTrainTask): Promise<FinalTrainResult> {
  const t0 = performance.now();
  const examples = await finalTrainSet(task.settings, task.train.size, task.train.seed);
  const cache = openCache(task.train.cache, examples, "the final training set");
  const student = buildStudent(task.genome, {
    vocabSize: VOCAB_SIZE,
    maxPositions: MAX_POSITIONS,
    seed: task.seed,
  });
  try {
    const summary = await trainStudent(student, examples, cache, task.settings, {
      seed: task.seed,
      epochs: task.train.epochs,
      teacherDir: task.teacherDir,
    });
    const validationAccuracy = await validationAccuracyOf(student, task.settings);
    await saveSearchedStudent(student, task.outDir, {
      metrics: { validationAccuracy, trainExamples: examples.length, steps: summary.steps },
      command: "final stage of a search (lib/pipeline finalTrain)",
    });
    return {
      params: student.countParams(),
      steps: summary.steps,
      seconds: (performance.now() - t0) / 1000,
      validationAccuracy,
    };
  } finally {
    student.dispose();
  }
}

export interface FinalBaselineTask {
  /** lib/distill baseline name (pkd, tinybert, distilbert, bilstm). */
  baseline: string;
  teacherDir: string;
  seed: number;
  settings: EvalSettings;
  train: { size: number; seed: number; epochs: number; cache: CacheRef };
  outDir: string;
}

export interface FinalBaselineResult extends FinalTrainResult {
  /** What differs from the searched students' training (initialisation, losses, peak lr). */
  training: { style: string; learningRate: number; init: string; losses: string[] };
}

/**
 * Trains a KD baseline under the searched students' budget: the same final training set, epochs
 * (so the same steps at batch 32), learning-rate schedule (AdamW, linear warmup and decay) and
 * teacher; the baseline keeps its own student, initialisation, layer losses and peak learning
 * rate (lib/distill baselines). Saved as a lib/models checkpoint (float32).
 */
export async function finalTrainBaseline(task: FinalBaselineTask): Promise<FinalBaselineResult> {
  const t0 = performance.now();
  const baseline = selectBaselines([task.baseline])[0];
  const examples = await finalTrainSet(task.settings, task.train.size, task.train.seed);
  const cache = openCache(task.train.cache, examples, "the final training set");
  const tokenizer = await createBertTokenizer();
  const { model: teacher } = await loadCheckpoint(task.teacherDir);
  if (!(teacher instanceof BertModel)) {
    teacher.dispose();
    throw new TypeError(`${task.teacherDir}: the KD baselines need a BERT teacher`);
  }
  const kd = checkKdMode(task.settings.train.kd ?? "plain", "settings.train.kd");
  let robust: KdAugmenter | null = null;
  try {
    robust = await kdAugmenter(kd, {
      teacherDir: task.teacherDir,
      studentLearningRate: baseline.learningRate,
      seed: task.seed + 2,
    });
    const { student, summary, learningRate, objective } = await distillBaseline(baseline, {
      ...(robust ? { augmenter: robust.augmenter } : {}),
      teacher,
      cache,
      train: examples,
      tokenizer,
      maxLength: task.settings.train.maxLength,
      seed: task.seed,
      batchSize: task.settings.train.batchSize,
      epochs: task.train.epochs,
    });
    try {
      const validationAccuracy = await validationAccuracyOf(student, task.settings);
      await saveCheckpoint(student, task.outDir, {
        dtype: "F32",
        manifest: {
          metrics: { validationAccuracy, trainExamples: examples.length, steps: summary.steps },
          command: "final stage of a search (lib/pipeline finalTrainBaseline)",
          description: `KD baseline ${baseline.name} (${baseline.style}), search budget` +
            (robust ? `, robust KD ${kd} (${robust.augmenter.name})` : ""),
        },
      });
      const losses = [
        ...(["kl", "ce", "softCE"] as const).filter((k) => objective[k].weight > 0),
        ...objective.layers.map((l) => `${l.feature}:${l.loss}`),
      ];
      return {
        params: student.countParams(),
        steps: summary.steps,
        seconds: (performance.now() - t0) / 1000,
        validationAccuracy,
        training: {
          style: baseline.style,
          learningRate,
          init: baseline.initialisation ?? "random",
          losses: [...new Set(losses), ...(robust ? [`kd:${kd}`] : [])],
        },
      };
    } finally {
      student.dispose();
    }
  } finally {
    robust?.dispose();
    teacher.dispose();
  }
}

export interface FinalEvalTask {
  /** Checkpoint folder of any registered kind (BERT, BiLSTM, searched student). */
  modelDir: string;
  dataset: string;
  maxLength: number;
  /** "clean": full-dev accuracy; else a recipe name. */
  what: string;
  devExamples: number;
  queryBudget: number;
  teacherDir: string;
}

export type FinalEvalResult =
  | {
    what: "clean";
    devAccuracy: number;
    /** Per dev example, in file order: "1" correct, "0" wrong. */
    correct?: string;
    params: number;
    seconds: number;
    devSize: number;
  }
  | ({ what: string } & Omit<AttackOutcome, "stats">);

export async function finalEval(task: FinalEvalTask): Promise<FinalEvalResult> {
  const t0 = performance.now();
  const dev = await loadSplit(task.dataset, "dev");
  const resources = task.what === "clean"
    ? {}
    : await attackResources([task.what], { teacherDir: task.teacherDir });
  const before = tf.memory().numTensors;
  const { model } = await loadModel(task.modelDir);
  try {
    if (task.what === "clean") {
      const tokenizer = await createBertTokenizer();
      const batches = bucketBatches(dev, tokenizer, {
        batchSize: 128,
        maxLength: task.maxLength,
        shuffle: false,
      });
      const correct = correctByExample(model, batches, dev.length);
      return {
        what: "clean",
        devAccuracy: correct.reduce((a, c) => a + c, 0) / dev.length,
        correct: correct.join(""),
        params: model.countParams(),
        seconds: (performance.now() - t0) / 1000,
        devSize: dev.length,
      };
    }
    const outcome = await attackModel(model, dev.slice(0, task.devExamples), task.what, {
      dataset: task.dataset,
      queryBudget: task.queryBudget,
      maxLength: task.maxLength,
      resources,
    });
    const { stats: _perExample, ...kept } = outcome; // the outcome codes keep what pairs need
    return { ...kept, what: task.what };
  } finally {
    model.dispose();
    const leaked = tf.memory().numTensors - before;
    if (leaked > 0) {
      console.warn(`finalEval ${task.modelDir} ${task.what}: ${leaked} tensors leaked`);
    }
  }
}
