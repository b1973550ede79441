/**
 * Candidate evaluation, the unit of work of the search (DESIGN.md "Data flow"): genome ->
 * `buildStudent` (vocab 30,522, 128 positions) -> distillation on the proxy subset from the
 * teacher-output cache (opened read-only by key) -> accuracy on the validation subset (and
 * agreement with the teacher there) -> robustness under the search's attack on the attack subset
 * -> size (parameters, compression vs the teacher) and latency -> plain JSON metrics plus the
 * genome's architecture statistics.
 *
 * Where this lives, a documented choice: here in experiments/rosearch_sst2/, not in lib/search,
 * because it imports TensorFlow.js and lib/search (the strategy) must never load tfjs
 * (DESIGN.md). It runs inside a Worker (`worker.ts`) but is a plain async function, so a
 * notebook or test can call it in-process too.
 */
import * as tf from "@tensorflow/tfjs";
import { bucketBatches, createBertTokenizer } from "../../lib/data/mod.ts";
import {
  distill,
  hashExamples,
  openTeacherCache,
  predict,
  teacherCacheKey,
} from "../../lib/distill/mod.ts";
import type { TeacherCache } from "../../lib/distill/mod.ts";
import {
  type ArchitectureStats,
  architectureStats,
  buildStudent,
  type Genome,
  genomeHash,
  measureLatency,
} from "../../lib/search_space/mod.ts";
import type { Classifier } from "../../lib/models/mod.ts";
import type { Example } from "../../lib/data/mod.ts";
import type { AttackMetrics } from "../../lib/robustness/mod.ts";
import type { EvalSettings } from "./config.ts";
import { experimentData } from "./data.ts";
import type { CacheRef } from "./teacher.ts";
import { attackModel, attackResources } from "./attack_model.ts";

export const VOCAB_SIZE = 30522;
export const MAX_POSITIONS = 128;

export interface TeacherRef {
  dir: string;
  params: number;
  latencyMs: number;
}

export interface CandidateTask {
  genome: Genome;
  /** Seed of the student's initialisation and of the training order / dropout. */
  seed: number;
  settings: EvalSettings;
  teacher: TeacherRef;
  caches: { proxy: CacheRef; validation: CacheRef };
}

export interface CandidateResult {
  hash: string;
  params: number;
  /** teacher params / student params. */
  compression: number;
  latencyMs: number;
  cleanAccuracy: number;
  /** Share of validation examples where student and teacher agree. */
  teacherAgreement: number;
  /** Accuracy under the search attack (fraction). */
  robustness: number;
  attack: AttackMetrics & { recipe: string; queryBudget: number; victimQueries: number };
  architectureStats: ArchitectureStats;
  train: { steps: number; finalLoss: number; msPerStep: number };
  seconds: { total: number; train: number; evaluate: number; attack: number; latency: number };
  /** tf.memory().numTensors after minus before (0 when nothing leaked). */
  leakedTensors: number;
}

/** Opens a cache by reference after checking that it was built from exactly these examples. */
export function openCache(ref: CacheRef, examples: readonly Example[], what: string): TeacherCache {
  const sha = hashExamples(examples);
  if (sha !== ref.keyParts.examplesSha256) {
    throw new Error(
      `Teacher cache for ${what}: the examples rebuilt here (sha256 ${sha.slice(0, 12)}) differ ` +
        `from the cached ones (${ref.keyParts.examplesSha256.slice(0, 12)}); settings differ`,
    );
  }
  if (teacherCacheKey(ref.keyParts) !== ref.key) {
    throw new Error(`Teacher cache for ${what}: key ${ref.key} does not match its key parts`);
  }
  return openTeacherCache(ref.key, { root: ref.root, verify: false });
}

/** Trains a student from the proxy cache; shared with the final stage (other examples/cache). */
export async function trainStudent(
  student: Classifier,
  examples: readonly Example[],
  cache: TeacherCache,
  settings: EvalSettings,
  options: { seed: number; epochs?: number; validation?: readonly Example[] },
) {
  const tokenizer = await createBertTokenizer();
  const t = settings.train;
  const validation = options.validation
    ? bucketBatches(options.validation as Example[], tokenizer, {
      batchSize: 128,
      maxLength: t.maxLength,
      shuffle: false,
    })
    : undefined;
  return await distill(cache, student, {
    train: (_epoch, prng) =>
      bucketBatches(examples as Example[], tokenizer, {
        batchSize: t.batchSize,
        maxLength: t.maxLength,
        prng,
      }),
    validation,
  }, {
    objective: t.objective,
    epochs: options.epochs ?? t.epochs,
    learningRate: t.learningRate,
    seed: options.seed,
    restoreBest: false,
  });
}

/** Evaluates one genome end to end. Every tensor it creates is disposed before it returns. */
export async function evaluateCandidate(task: CandidateTask): Promise<CandidateResult> {
  const t0 = performance.now();
  const s = task.settings;
  const data = await experimentData(s);
  const tokenizer = await createBertTokenizer();
  const proxyCache = openCache(task.caches.proxy, data.proxy, "the proxy subset");
  const valCache = openCache(task.caches.validation, data.validation, "the validation subset");
  const resources = await attackResources(task.teacher.dir, [s.attack.recipe]);
  const before = tf.memory().numTensors;
  const hash = genomeHash(task.genome);
  const student = buildStudent(task.genome, {
    vocabSize: VOCAB_SIZE,
    maxPositions: MAX_POSITIONS,
    seed: task.seed,
  });
  let result: CandidateResult;
  try {
    const tTrain = performance.now();
    const summary = await trainStudent(student, data.proxy, proxyCache, s, { seed: task.seed });
    const tEval = performance.now();
    const valBatches = bucketBatches(data.validation, tokenizer, {
      batchSize: 128,
      maxLength: s.train.maxLength,
      shuffle: false,
    });
    // one forward pass per batch for both: accuracy against gold labels, agreement with the teacher
    let correct = 0, agree = 0, total = 0;
    for (const b of valBatches) {
      const ps = predict(student, b), pt = predict(valCache, b);
      for (let r = 0; r < b.batchSize; r++) {
        if (ps[r] === b.labels![r]) correct++;
        if (ps[r] === pt[r]) agree++;
      }
      total += b.batchSize;
    }
    const cleanAccuracy = correct / total, teacherAgreement = agree / total;
    const tAttack = performance.now();
    const attack = await attackModel(student, data.attackSet, s.attack.recipe, {
      dataset: s.dataset,
      queryBudget: s.attack.queryBudget,
      maxLength: s.train.maxLength,
      resources,
    });
    const tLatency = performance.now();
    const latency = measureLatency(student, s.latency);
    const tEnd = performance.now();
    const params = student.countParams();
    const stats = architectureStats(task.genome, {
      sizeContext: { vocabSize: VOCAB_SIZE, maxPositions: MAX_POSITIONS, numLabels: 2 },
      seqLen: s.latency.seqLen,
    });
    const last = summary.lossCurve.at(-1);
    result = {
      hash,
      params,
      compression: task.teacher.params / params,
      latencyMs: latency.medianMs,
      cleanAccuracy,
      teacherAgreement,
      robustness: attack.robustness,
      attack: {
        ...attack.metrics,
        recipe: s.attack.recipe,
        queryBudget: s.attack.queryBudget,
        victimQueries: attack.victimQueries,
      },
      architectureStats: stats,
      train: {
        steps: summary.steps,
        finalLoss: last?.loss ?? NaN,
        msPerStep: summary.msPerStep,
      },
      seconds: {
        total: (tEnd - t0) / 1000,
        train: (tEval - tTrain) / 1000,
        evaluate: (tAttack - tEval) / 1000,
        attack: (tLatency - tAttack) / 1000,
        latency: (tEnd - tLatency) / 1000,
      },
      leakedTensors: 0,
    };
  } finally {
    student.dispose();
  }
  result.leakedTensors = tf.memory().numTensors - before;
  return result;
}
