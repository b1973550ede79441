/**
 * Worker-side jobs of the final stage (tfjs): retrain a searched student on the larger training
 * set and save it; clean dev accuracy of any model; one attack recipe on the first N dev
 * examples of any model. Models are referenced by folder (`ModelRef`) so jobs can run on any
 * worker.
 */
import * as tf from "@tensorflow/tfjs";
import { bucketBatches, createBertTokenizer, loadSplit, sampleSubset } from "../../lib/data/mod.ts";
import type { Example } from "../../lib/data/mod.ts";
import { evaluateAccuracy, sha256File } from "../../lib/distill/mod.ts";
import { DEFAULT_VOCAB_PATH, loadCheckpoint } from "../../lib/models/mod.ts";
import type { Classifier } from "../../lib/models/mod.ts";
import { buildStudent, type Genome } from "../../lib/search_space/mod.ts";
import type { EvalSettings } from "./config.ts";
import { experimentData } from "./data.ts";
import { MAX_POSITIONS, openCache, trainStudent, VOCAB_SIZE } from "./evaluate_candidate.ts";
import { attackModel, type AttackOutcome, attackResources } from "./attack_model.ts";
import { loadSearchedStudent, saveSearchedStudent } from "./student_io.ts";
import { cacheFor, type CacheRef } from "./teacher.ts";

export type ModelRef = { kind: "searched" | "checkpoint"; dir: string };

/** The final training set: `size` examples of train minus held-out (0 = all of them). */
export async function finalTrainSet(
  settings: EvalSettings,
  size: number,
  seed: number,
): Promise<Example[]> {
  const { trainRest } = await experimentData(settings);
  if (size <= 0 || size >= trainRest.length) return trainRest;
  return sampleSubset(trainRest, size, { seed });
}

export interface FinalCacheTask {
  teacherDir: string;
  teacherSha256: string;
  settings: EvalSettings;
  size: number;
  seed: number;
}

/**
 * Builds (or reuses) the teacher-output cache of the final training set. A worker job, so the
 * main process's event loop (which feeds the pool) never blocks on the teacher's forward passes.
 */
export async function buildFinalCache(task: FinalCacheTask): Promise<CacheRef> {
  const s = task.settings;
  const examples = await finalTrainSet(s, task.size, task.seed);
  const { model } = await loadCheckpoint(task.teacherDir);
  try {
    return cacheFor(model, examples, {
      split: `${s.dataset}/train-minus-heldout(${s.heldOut.size},${s.heldOut.seed})/final(${
        task.size || "all"
      },${task.seed})`,
      maxLength: s.train.maxLength,
      teacherSha256: task.teacherSha256,
      tokenizerId: `vocab-sha256:${sha256File(DEFAULT_VOCAB_PATH)}`,
    }, await createBertTokenizer());
  } finally {
    model.dispose();
  }
}

export interface FinalTrainTask {
  genome: Genome;
  seed: number;
  settings: EvalSettings;
  train: { size: number; seed: number; epochs: number; cache: CacheRef };
  outDir: string;
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
  const data = await experimentData(task.settings);
  const student = buildStudent(task.genome, {
    vocabSize: VOCAB_SIZE,
    maxPositions: MAX_POSITIONS,
    seed: task.seed,
  });
  try {
    const summary = await trainStudent(student, examples, cache, task.settings, {
      seed: task.seed,
      epochs: task.train.epochs,
    });
    const tokenizer = await createBertTokenizer();
    const validationAccuracy = evaluateAccuracy(
      student,
      bucketBatches(data.validation, tokenizer, {
        batchSize: 128,
        maxLength: task.settings.train.maxLength,
        shuffle: false,
      }),
    );
    await saveSearchedStudent(student, task.outDir, {
      validationAccuracy,
      trainExamples: examples.length,
      steps: summary.steps,
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

async function loadModel(ref: ModelRef): Promise<Classifier> {
  return ref.kind === "searched"
    ? await loadSearchedStudent(ref.dir)
    : (await loadCheckpoint(ref.dir)).model;
}

export interface FinalEvalTask {
  model: ModelRef;
  dataset: string;
  maxLength: number;
  /** "clean": full-dev accuracy; else a recipe name. */
  what: string;
  devExamples: number;
  queryBudget: number;
  teacherDir: string;
}

export type FinalEvalResult =
  | { what: "clean"; devAccuracy: number; params: number; seconds: number; devSize: number }
  | ({ what: string } & AttackOutcome);

export async function finalEval(task: FinalEvalTask): Promise<FinalEvalResult> {
  const t0 = performance.now();
  const dev = await loadSplit(task.dataset, "dev");
  const resources = task.what === "clean"
    ? {}
    : await attackResources(task.teacherDir, [task.what]);
  const before = tf.memory().numTensors;
  const model = await loadModel(task.model);
  try {
    if (task.what === "clean") {
      const tokenizer = await createBertTokenizer();
      const acc = evaluateAccuracy(
        model,
        bucketBatches(dev, tokenizer, {
          batchSize: 128,
          maxLength: task.maxLength,
          shuffle: false,
        }),
      );
      return {
        what: "clean",
        devAccuracy: acc,
        params: model.countParams(),
        seconds: (performance.now() - t0) / 1000,
        devSize: dev.length,
      };
    }
    if (task.what === "bae" && !resources.mlm) {
      throw new Error(`bae needs the teacher MLM, not found next to ${task.teacherDir}`);
    }
    const outcome = await attackModel(model, dev.slice(0, task.devExamples), task.what, {
      dataset: task.dataset,
      queryBudget: task.queryBudget,
      maxLength: task.maxLength,
      resources,
    });
    return { ...outcome, what: task.what };
  } finally {
    model.dispose();
    const leaked = tf.memory().numTensors - before;
    if (leaked > 0) {
      console.warn(`finalEval ${task.model.dir} ${task.what}: ${leaked} tensors leaked`);
    }
  }
}
