/**
 * Robust distillation methods under one budget (issue 15): the same student architecture, the
 * same training examples, steps, schedule, teacher and seed; only the perturbation term of the
 * one distillation loop differs (lib/distill augmenters):
 * - `plain`: 1/3 CE + 1/3 softCE_{T=1} (MATE-KD's two clean terms, no third term);
 * - `random-token`: + 1/3 D(T(x'), S(x')) with x' = 30% random tokens (EDA-style);
 * - `embedding-pgd`: + 1/3 D(T(x), S(x + delta)), PGD-2 on the student's word vectors;
 * - `mate`: + 1/3 D(T(x'), S(x')) with x' from the MATE-KD generator (the project's masked LM,
 *   10 generator batches every 100 student batches).
 * The student is the TinyBERT-style baseline's architecture (lib/distill `tinybert`,
 * random initialisation), trained from the live teacher (the perturbations need it).
 * Ours: the same 1/3 weights for the clean terms of every method (so `plain` has total weight
 * 2/3, the others 1), peak lr 1e-3 as the TinyBERT-style baseline; MATE-KD's paper trains BERT
 * students from pretrained weights at 2e-5 for 30 epochs, out of reach here.
 */
import { bucketBatches, createBertTokenizer, readVocab } from "../data/mod.ts";
import {
  distill,
  type DistillAugmenter,
  embeddingPgdKd,
  mateKd,
  mateObjective,
  randomTokenKd,
  tinybert,
} from "../distill/mod.ts";
import { BertModel, loadCheckpoint, saveCheckpoint } from "../models/mod.ts";
import { DEFAULT_VOCAB_PATH, mlmDirOf } from "../project/mod.ts";
import { validationAccuracyOf } from "./final_tasks.ts";
import { finalTrainSet } from "./search_data.ts";
import type { EvalSettings } from "./settings.ts";

export const ROBUST_KD_METHODS = ["plain", "random-token", "embedding-pgd", "mate"] as const;
export type RobustKdMethod = typeof ROBUST_KD_METHODS[number];

export interface RobustKdTask {
  method: RobustKdMethod;
  teacherDir: string;
  settings: EvalSettings;
  train: { size: number; seed: number; epochs: number };
  seed: number;
  learningRate: number;
  outDir: string;
}

export interface RobustKdResult {
  method: RobustKdMethod;
  augmenter: string | null;
  params: number;
  steps: number;
  seconds: number;
  msPerStep: number;
  validationAccuracy: number;
  /** MATE-KD: the generator's divergence per phase. */
  generatorHistory?: { step: number; divergence: number }[];
}

export async function robustKdTrain(task: RobustKdTask): Promise<RobustKdResult> {
  const t0 = performance.now();
  if (!(ROBUST_KD_METHODS as readonly string[]).includes(task.method)) {
    throw new RangeError(
      `robust KD: unknown method "${task.method}"; valid: ${ROBUST_KD_METHODS.join(", ")}`,
    );
  }
  const examples = await finalTrainSet(task.settings, task.train.size, task.train.seed);
  const tokenizer = await createBertTokenizer();
  const vocab = await readVocab(DEFAULT_VOCAB_PATH);
  const { model: teacher } = await loadCheckpoint(task.teacherDir);
  let generator: BertModel | null = null;
  let augmenter: DistillAugmenter | null = null;
  const student = tinybert.createStudent(teacher as BertModel, { seed: task.seed });
  try {
    if (task.method === "mate") {
      generator = (await loadCheckpoint(mlmDirOf(task.teacherDir))).model as BertModel;
      augmenter = mateKd({
        generator,
        vocab,
        studentLearningRate: task.learningRate,
        seed: task.seed + 2,
      });
    } else if (task.method === "random-token") {
      augmenter = randomTokenKd({ vocab, seed: task.seed + 2 });
    } else if (task.method === "embedding-pgd") augmenter = embeddingPgdKd({ seed: task.seed + 2 });
    const summary = await distill(teacher, student, {
      train: (_epoch, prng) =>
        bucketBatches(examples, tokenizer, {
          batchSize: task.settings.train.batchSize,
          maxLength: task.settings.train.maxLength,
          prng,
        }),
    }, {
      objective: mateObjective(),
      epochs: task.train.epochs,
      learningRate: task.learningRate,
      seed: task.seed + 1,
      ...(augmenter ? { augmenter } : {}),
    });
    const validationAccuracy = await validationAccuracyOf(student, task.settings);
    await saveCheckpoint(student, task.outDir, {
      dtype: "F32",
      manifest: {
        metrics: { validationAccuracy, trainExamples: examples.length, steps: summary.steps },
        command: "deno task mate-kd (lib/pipeline robustKdTrain)",
        description: `TinyBERT-style student, robust KD method ${task.method}` +
          (augmenter ? ` (${augmenter.name})` : ""),
      },
    });
    const history = augmenter && "history" in augmenter
      ? [...(augmenter as { history: { step: number; divergence: number }[] }).history]
      : undefined;
    return {
      method: task.method,
      augmenter: augmenter?.name ?? null,
      params: student.countParams(),
      steps: summary.steps,
      seconds: (performance.now() - t0) / 1000,
      msPerStep: summary.msPerStep,
      validationAccuracy,
      ...(history ? { generatorHistory: history } : {}),
    };
  } finally {
    augmenter?.dispose();
    generator?.dispose();
    student.dispose();
    teacher.dispose();
  }
}
