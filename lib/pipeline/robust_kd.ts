/**
 * Robust distillation methods under one budget (issue 15): the same student architecture, the
 * same training examples, steps, schedule, teacher and seed; only the perturbation term of the
 * one distillation loop differs (lib/distill augmenters):
 * - `plain`: 1/3 CE + 1/3 softCE_{T=1} (MATE-KD's two clean terms, no third term);
 * - `random-token`: + 1/3 D(T(x'), S(x')) with x' = 30% random tokens (EDA-style);
 * - `embedding-pgd`: + 1/3 D(T(x), S(x + delta)), PGD-2 on the student's word vectors;
 * - `mate`: + 1/3 D(T(x'), S(x')) with x' from the MATE-KD generator (the project's masked LM,
 *   10 generator batches every 100 student batches).
 * The student (`ROBUST_KD_STUDENTS`, or a searched genome) is trained from the live teacher (the
 * perturbations need it); the augmenters are kd_mode.ts's, shared with every other trainer.
 * Ours: the same 1/3 weights for the clean terms of every method (so `plain` has total weight
 * 2/3, the others 1), peak lr 1e-3 as the TinyBERT-style baseline; MATE-KD's paper trains BERT
 * students from pretrained weights at 2e-5 for 30 epochs, out of reach here.
 */
import { bucketBatches, createBertTokenizer } from "../data/mod.ts";
import { distill, halfDepthStudent, mateObjective, tinybert } from "../distill/mod.ts";
import { BertModel, type Classifier, loadCheckpoint, saveCheckpoint } from "../models/mod.ts";
import type { Genome } from "../search_space/mod.ts";
import { buildStudent, saveSearchedStudent, type SearchedStudent } from "../search_space/tfjs.ts";
import { validationAccuracyOf } from "./final_tasks.ts";
import { checkKdMode, KD_MODES, type KdAugmenter, kdAugmenter, type KdMode } from "./kd_mode.ts";
import { finalTrainSet } from "./search_data.ts";
import { type EvalSettings, MAX_POSITIONS, VOCAB_SIZE } from "./settings.ts";

export const ROBUST_KD_METHODS = KD_MODES;
export type RobustKdMethod = KdMode;

/**
 * The named students: `tinybert`, the TinyBERT-style baseline's architecture (4 x 64, factorised
 * word table, 2.2M parameters, random initialisation); `bert-2l`, DistilBERT's shape with the
 * teacher's full word table (2 x 256, 9.4M, initialised from teacher layers 0 and 2 and its
 * embeddings: MATE-KD's students start from pretrained weights too).
 */
export const ROBUST_KD_STUDENTS = ["tinybert", "bert-2l"] as const;

/** A named student, or a searched genome (random initialisation). */
export type RobustKdStudent = { name: typeof ROBUST_KD_STUDENTS[number] } | {
  name: string;
  genome: Genome;
};

function createRobustStudent(spec: RobustKdStudent, teacher: BertModel, seed: number): Classifier {
  if ("genome" in spec) {
    return buildStudent(spec.genome, { vocabSize: VOCAB_SIZE, maxPositions: MAX_POSITIONS, seed });
  }
  if (spec.name === "tinybert") return tinybert.createStudent(teacher, { seed });
  if (spec.name === "bert-2l") return halfDepthStudent(teacher, { seed });
  throw new RangeError(
    `robust KD: unknown student "${spec.name}"; valid: ${ROBUST_KD_STUDENTS.join(", ")}`,
  );
}

export interface RobustKdTask {
  method: RobustKdMethod;
  /** Default the TinyBERT-style student. */
  student?: RobustKdStudent;
  teacherDir: string;
  settings: EvalSettings;
  train: { size: number; seed: number; epochs: number };
  seed: number;
  learningRate: number;
  outDir: string;
}

export interface RobustKdResult {
  method: RobustKdMethod;
  student: string;
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
  checkKdMode(task.method, "robust KD: method");
  const examples = await finalTrainSet(task.settings, task.train.size, task.train.seed);
  const tokenizer = await createBertTokenizer();
  const { model: teacher } = await loadCheckpoint(task.teacherDir);
  const spec = task.student ?? { name: "tinybert" };
  if (!(teacher instanceof BertModel)) {
    teacher.dispose();
    throw new TypeError(`robust KD: ${task.teacherDir} is not a BERT teacher`);
  }
  const student = createRobustStudent(spec, teacher, task.seed);
  let robust: KdAugmenter | null = null;
  try {
    robust = await kdAugmenter(task.method, {
      teacherDir: task.teacherDir,
      studentLearningRate: task.learningRate,
      seed: task.seed + 2,
    });
    const augmenter = robust?.augmenter ?? null;
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
    const description = `${spec.name} student, robust KD method ${task.method}` +
      (augmenter ? ` (${augmenter.name})` : "");
    const metrics = { validationAccuracy, trainExamples: examples.length, steps: summary.steps };
    const command = "deno task mate-kd (lib/pipeline robustKdTrain)";
    if ("genome" in spec) {
      await saveSearchedStudent(student as SearchedStudent, task.outDir, { metrics, command });
    } else {
      await saveCheckpoint(student, task.outDir, {
        dtype: "F32",
        manifest: { metrics, command, description },
      });
    }
    const history = augmenter && "history" in augmenter
      ? [...(augmenter as { history: { step: number; divergence: number }[] }).history]
      : undefined;
    return {
      method: task.method,
      student: spec.name,
      augmenter: augmenter?.name ?? null,
      params: student.countParams(),
      steps: summary.steps,
      seconds: (performance.now() - t0) / 1000,
      msPerStep: summary.msPerStep,
      validationAccuracy,
      ...(history ? { generatorHistory: history } : {}),
    };
  } finally {
    robust?.dispose();
    student.dispose();
    teacher.dispose();
  }
}
