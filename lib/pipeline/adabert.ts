/**
 * AdaBERT (Chen et al. 2020) as Worker tasks (issue 17): the differentiable search on one task
 * (`adabertSearchTask`) and the retraining of a derived architecture on one task with KD
 * (`adabertRetrainTask`), for the transfer table (every task's architecture retrained on every
 * task).
 *
 * Data per task (`adabertData`): SST-2 weights train on a seeded sample of the sentence-level
 * held-out split's training part (no sub-phrase of an architecture-split sentence), the
 * architecture split is the held-out sentences, models are reported on dev (SST-2 has no test
 * labels); TREC and SUBJ: the architecture split is a seeded 20% of train, models are reported on
 * dev and test. The teacher is the task's own (`deno task teacher --dataset ...`).
 *
 * Retraining (ours: the paper retrains the derived student with its KD objective; we use the
 * live teacher's logits): (1 - gamma) CE + gamma softCE_{T=1} with gamma 0.8, peak lr 1e-3, the
 * task's whole training part, a fixed number of epochs, the best epoch on the architecture split.
 */
import {
  bucketBatches,
  createBertTokenizer,
  datasetInfo,
  type Example,
  heldOutSplit,
  loadSplit,
  sampleSubset,
  sentenceHeldOut,
} from "../data/mod.ts";
import { correctByExample, distill, trainLayerProbes } from "../distill/mod.ts";
import { BertModel, type Classifier, loadCheckpoint } from "../models/mod.ts";
import { Prng } from "../random/mod.ts";
import { adabertSearch, type AdaBertSearchResult, AdaBertSupernet } from "../search/tfjs.ts";
import { derivedGenome, type Genome } from "../search_space/mod.ts";
import { buildStudent, measureLatency, saveSearchedStudent } from "../search_space/tfjs.ts";
import { MAX_POSITIONS, VOCAB_SIZE } from "./settings.ts";

export const ADABERT_DATASETS = ["sst2", "trec", "subj"] as const;
export type AdaBertDataset = typeof ADABERT_DATASETS[number];

export interface AdaBertTaskData {
  /** Weight training part. */
  train: Example[];
  /** Architecture split (held out of train). */
  arch: Example[];
  /** Reported splits. */
  eval: Partial<Record<"dev" | "test", Example[]>>;
  numLabels: number;
}

/** The documented splits of a task (see the file comment); `trainSize` caps the weight part. */
export async function adabertData(
  dataset: string,
  o: { trainSize?: number; archSize?: number; seed: number },
): Promise<AdaBertTaskData> {
  if (!(ADABERT_DATASETS as readonly string[]).includes(dataset)) {
    throw new RangeError(
      `AdaBERT: dataset ${JSON.stringify(dataset)}; valid: ${ADABERT_DATASETS.join(", ")}`,
    );
  }
  const info = datasetInfo(dataset);
  const all = await loadSplit(dataset, "train");
  let train: Example[], arch: Example[];
  if (dataset === "sst2") {
    const s = sentenceHeldOut(all, { size: o.archSize ?? 1000, seed: o.seed, minWords: 8 });
    [train, arch] = [s.train, s.validation];
  } else {
    const s = heldOutSplit(all, { fraction: 0.2, seed: o.seed });
    [train, arch] = [s.train, s.validation];
    if (o.archSize && o.archSize < arch.length) {
      arch = sampleSubset(arch, o.archSize, { seed: o.seed + 1 });
    }
  }
  if (o.trainSize && o.trainSize < train.length) {
    train = sampleSubset(train, o.trainSize, { seed: o.seed + 2 });
  }
  const evalSplits: AdaBertTaskData["eval"] = { dev: await loadSplit(dataset, "dev") };
  if (info.splits.includes("test")) evalSplits.test = await loadSplit(dataset, "test");
  return { train, arch, eval: evalSplits, numLabels: info.numLabels };
}

export interface AdaBertSupernetSize {
  embeddingSize: number;
  hiddenSize: number;
  maxCells: number;
}

export interface AdaBertSearchTask {
  dataset: AdaBertDataset;
  teacherDir: string;
  size: AdaBertSupernetSize;
  steps: number;
  batchSize: number;
  maxLength: number;
  trainSize?: number;
  archSize?: number;
  gamma: number;
  efficiencyWeight: number;
  /** Adam learning rate of the architecture logits (default the reproduction's 1e-4). */
  archLearningRate?: number;
  seed: number;
  /** Checkpoint folder: an interrupted search resumes from it. */
  checkpointDir: string;
  stopAfter?: number;
}

export interface AdaBertSearchTaskResult extends AdaBertSearchResult {
  dataset: string;
  genome: Genome;
  supernetParams: number;
  trainExamples: number;
  archExamples: number;
  probes: { trainAccuracy: number[]; heldOutAccuracy: number[]; seconds: number };
}

async function loadTeacher(dir: string): Promise<BertModel> {
  const { model } = await loadCheckpoint(dir);
  if (!(model instanceof BertModel)) {
    model.dispose();
    throw new TypeError(`AdaBERT: the teacher ${dir} is not a BERT classifier`);
  }
  return model;
}

/**
 * Activations the supernet keeps for one backward pass, roughly: every op on every edge of every
 * cell holds ~70 [batch, seq, hidden] float32 tensors (measured: batch 32 x 64 tokens at hidden
 * 64 and 8 cells overran the wasm heap, "memory access out of bounds"; batch 16 x 48 ran).
 */
export function supernetActivationBytes(
  t: { batchSize: number; maxLength: number; size: AdaBertSupernetSize },
): number {
  return t.batchSize * t.maxLength * t.size.hiddenSize * t.size.maxCells * 9 * 70 * 4;
}
const MAX_ACTIVATION_BYTES = 1.6e9;

export async function adabertSearchTask(task: AdaBertSearchTask): Promise<AdaBertSearchTaskResult> {
  const bytes = supernetActivationBytes(task);
  if (bytes > MAX_ACTIVATION_BYTES) {
    throw new RangeError(
      `AdaBERT search: batchSize ${task.batchSize} x maxLength ${task.maxLength} x hidden ` +
        `${task.size.hiddenSize} x ${task.size.maxCells} cells needs ~${
          (bytes / 1e9).toFixed(1)
        } GB ` +
        `of activations, over the wasm heap's ${
          MAX_ACTIVATION_BYTES / 1e9
        } GB; lower batchSize or ` +
        `maxLength`,
    );
  }
  const data = await adabertData(task.dataset, task);
  const tokenizer = await createBertTokenizer();
  const teacher = await loadTeacher(task.teacherDir);
  if (teacher.numLabels !== data.numLabels) {
    teacher.dispose();
    throw new RangeError(
      `AdaBERT: the teacher ${task.teacherDir} has ${teacher.numLabels} labels, ` +
        `${task.dataset} has ${data.numLabels}`,
    );
  }
  const t0 = performance.now();
  const probes = trainLayerProbes(teacher, data.train, data.arch, tokenizer, {
    maxLength: task.maxLength,
    seed: task.seed + 11,
  });
  const probeSeconds = (performance.now() - t0) / 1000;
  teacher.dispose();
  const L = probes.layers, C = probes.numLabels, T = data.train.length;
  const net = new AdaBertSupernet({
    vocabSize: VOCAB_SIZE,
    maxPositions: MAX_POSITIONS,
    numLabels: data.numLabels,
    ...task.size,
    seed: task.seed,
  });
  const batches = (examples: Example[], salt: number) => (epoch: number) =>
    bucketBatches(examples, tokenizer, {
      batchSize: task.batchSize,
      maxLength: task.maxLength,
      prng: Prng.fromSeed(task.seed * 1000 + salt * 100 + epoch),
    });
  try {
    const result = await adabertSearch(net, {
      trainBatches: batches(data.train, 1),
      archBatches: batches(data.arch, 2),
      targets: (split, indices) => {
        const out = new Float32Array(indices.length * L * C);
        indices.forEach((i, r) => {
          const row = (split === "train" ? i : T + i) * L * C;
          out.set(probes.logits.subarray(row, row + L * C), r * L * C);
        });
        return out;
      },
      teacherLayers: L,
    }, {
      steps: task.steps,
      gamma: task.gamma,
      efficiencyWeight: task.efficiencyWeight,
      ...(task.archLearningRate ? { archLearningRate: task.archLearningRate } : {}),
      seed: task.seed,
      recordEvery: Math.max(1, Math.round(task.steps / 50)),
      checkpoint: { dir: task.checkpointDir, every: Math.max(1, Math.round(task.steps / 20)) },
      ...(task.stopAfter ? { stopAfter: task.stopAfter } : {}),
    });
    return {
      ...result,
      dataset: task.dataset,
      genome: derivedGenome(result.derived, task.size),
      supernetParams: net.countParams(),
      trainExamples: data.train.length,
      archExamples: data.arch.length,
      probes: {
        trainAccuracy: probes.trainAccuracy,
        heldOutAccuracy: probes.heldOutAccuracy,
        seconds: probeSeconds,
      },
    };
  } finally {
    net.dispose();
  }
}

export interface AdaBertRetrainTask {
  dataset: AdaBertDataset;
  /** Which task's search derived the genome (for the record). */
  from: string;
  genome: Genome;
  teacherDir: string;
  epochs: number;
  batchSize: number;
  maxLength: number;
  trainSize?: number;
  archSize?: number;
  gamma: number;
  learningRate: number;
  seed: number;
  outDir: string;
  /** Measure CPU latency (student and teacher, batch 1 and 32). */
  latency?: boolean;
}

export interface AdaBertRetrainResult {
  dataset: string;
  from: string;
  params: number;
  teacherParams: number;
  steps: number;
  seconds: number;
  archAccuracy: number;
  /** "1"/"0" per example of each reported split. */
  correct: Partial<Record<"dev" | "test", string>>;
  teacherCorrect: Partial<Record<"dev" | "test", string>>;
  latencyMs?: { student: Record<string, number>; teacher: Record<string, number> };
}

export async function adabertRetrainTask(task: AdaBertRetrainTask): Promise<AdaBertRetrainResult> {
  const t0 = performance.now();
  const data = await adabertData(task.dataset, task);
  const tokenizer = await createBertTokenizer();
  const teacher = await loadTeacher(task.teacherDir);
  const student = buildStudent(task.genome, {
    vocabSize: VOCAB_SIZE,
    maxPositions: MAX_POSITIONS,
    numLabels: data.numLabels,
    seed: task.seed,
  });
  const enc = (xs: Example[]) =>
    bucketBatches(xs, tokenizer, { batchSize: 64, maxLength: task.maxLength, shuffle: false });
  try {
    const summary = await distill(teacher, student, {
      train: (_e, prng) =>
        bucketBatches(data.train, tokenizer, {
          batchSize: task.batchSize,
          maxLength: task.maxLength,
          prng,
        }),
      validation: enc(data.arch),
    }, {
      objective: {
        kl: { weight: 0 },
        softCE: { weight: task.gamma, temperature: 1 },
        ce: { weight: 1 - task.gamma },
      },
      epochs: task.epochs,
      learningRate: task.learningRate,
      seed: task.seed + 1,
    });
    const correct: AdaBertRetrainResult["correct"] = {};
    const teacherCorrect: AdaBertRetrainResult["teacherCorrect"] = {};
    for (const [split, xs] of Object.entries(data.eval) as ["dev" | "test", Example[]][]) {
      correct[split] = correctByExample(student, enc(xs), xs.length).join("");
      teacherCorrect[split] = correctByExample(teacher, enc(xs), xs.length).join("");
    }
    const latency = (m: Classifier) =>
      Object.fromEntries(
        [1, 32].map((b) => [`b${b}`, measureLatency(m, { batchSize: b, seqLen: 48 }).medianMs]),
      );
    await saveSearchedStudent(student, task.outDir, {
      metrics: { archAccuracy: summary.bestValAccuracy ?? NaN, steps: summary.steps },
      command: "deno task adabert (lib/pipeline adabertRetrainTask)",
    });
    return {
      dataset: task.dataset,
      from: task.from,
      params: student.countParams(),
      teacherParams: teacher.countParams(),
      steps: summary.steps,
      seconds: (performance.now() - t0) / 1000,
      archAccuracy: summary.bestValAccuracy ?? NaN,
      correct,
      teacherCorrect,
      ...(task.latency
        ? { latencyMs: { student: latency(student), teacher: latency(teacher) } }
        : {}),
    };
  } finally {
    student.dispose();
    teacher.dispose();
  }
}
