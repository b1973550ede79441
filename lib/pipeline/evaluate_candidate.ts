/**
 * Candidate evaluation, the unit of work of the search (DESIGN.md "Data flow"): genome ->
 * `buildStudent` (vocab 30,522, 128 positions) -> distillation on the proxy subset from the
 * teacher-output cache (opened read-only by key) -> accuracy on the validation subset (and
 * agreement with the teacher there) -> robustness under the search's attack on the attack subset
 * -> size (parameters, compression vs the teacher) and latency -> plain JSON metrics plus the
 * genome's architecture statistics.
 *
 * It lives in lib/pipeline, not lib/search, because it imports TensorFlow.js and the strategy
 * must never load tfjs (DESIGN.md). It runs inside a Worker (`worker.ts`, behind `localEngine`)
 * but is a plain async function, so a notebook or test can call it in-process too.
 */
import * as tf from "@tensorflow/tfjs";
import { bucketBatches, createBertTokenizer, type Example } from "../data/mod.ts";
import {
  distill,
  hashExamples,
  openTeacherCache,
  predict,
  type TeacherCache,
  teacherCacheKey,
} from "../distill/mod.ts";
import { type Classifier, loadCheckpoint } from "../models/mod.ts";
import { checkKdMode, type KdAugmenter, kdAugmenter } from "./kd_mode.ts";
import { type AttackMetrics, attackMetrics } from "../robustness/mod.ts";
import {
  attackModel,
  type AttackOutcome,
  type AttackResources,
  attackResources,
  robustOf,
} from "../robustness/tfjs.ts";
import {
  computeFitness,
  type FitnessInterval,
  type FitnessName,
  raceCandidate,
} from "../search/mod.ts";
import {
  type ArchitectureStats,
  architectureStats,
  type Genome,
  genomeHash,
} from "../search_space/mod.ts";
import { buildStudent, measureLatency } from "../search_space/tfjs.ts";
import { latencyProfiles, type LatencySummary } from "./latency_profiles.ts";
import { type EvalSettings, MAX_POSITIONS, VOCAB_SIZE } from "./settings.ts";
import { searchData } from "./search_data.ts";
import type { CacheRef } from "./teacher.ts";

export interface TeacherRef {
  dir: string;
  params: number;
  latencyMs: number;
}

export interface CandidateTask {
  genome: Genome;
  /** Racing only: the k-th best fitness lower bound when the candidate was asked. */
  threshold?: number;
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
  /** `settings.latencyProfiles`, by name (KD-NAS: batch 1 and batch 32). */
  latencies?: Record<string, LatencySummary>;
  cleanAccuracy: number;
  /** Share of validation examples where student and teacher agree. */
  teacherAgreement: number;
  /** Accuracy under the search attack (fraction). */
  robustness: number;
  attack: AttackMetrics & {
    recipe: string;
    queryBudget: number;
    victimQueries: number;
    /** Per attacked example, in list order (lib/robustness `OutcomeCodes`). */
    outcomes: string;
  };
  /** Racing only: how far the candidate was raced, and why it stopped. */
  racing?: RacingRecord;
  /** Racing only: the fitness with its 95% interval from the attacked examples. */
  fitnessInterval?: FitnessInterval;
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
  if (teacherCacheKey(ref.keyParts, ref.hidden) !== ref.key) {
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
  options: {
    seed: number;
    epochs?: number;
    validation?: readonly Example[];
    /** The teacher's folder: needed when `settings.train.kd` is not "plain" (kd_mode.ts). */
    teacherDir?: string;
  },
) {
  const tokenizer = await createBertTokenizer();
  const t = settings.train;
  const kd = checkKdMode(t.kd ?? "plain", "settings.train.kd");
  const validation = options.validation
    ? bucketBatches(options.validation as Example[], tokenizer, {
      batchSize: 128,
      maxLength: t.maxLength,
      shuffle: false,
    })
    : undefined;
  // robust KD: the live teacher (perturbed inputs have no cached outputs) and an augmenter
  let teacher: Classifier | null = null;
  let robust: KdAugmenter | null = null;
  if (kd !== "plain") {
    if (!options.teacherDir) {
      throw new TypeError(`trainStudent: settings.train.kd "${kd}" needs options.teacherDir`);
    }
    teacher = (await loadCheckpoint(options.teacherDir)).model;
    robust = await kdAugmenter(kd, {
      teacherDir: options.teacherDir,
      studentLearningRate: t.learningRate,
      seed: options.seed + 2,
    });
  }
  try {
    return await distill(teacher ?? cache, student, {
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
      ...(robust ? { augmenter: robust.augmenter } : {}),
    });
  } finally {
    robust?.dispose();
    teacher?.dispose();
  }
}

export interface RacingRecord {
  /** Examples attacked after each step. */
  steps: number[];
  stopped: string;
  threshold: number;
  fitness: FitnessInterval;
}

/**
 * The search attack on the candidate: the first `attack.examples` of the list, or, with racing,
 * lib/search's `raceCandidate` over the list (the fitness interval at each step from the
 * candidate's measured accuracy, size and latency and the Wilson interval of its robustness).
 */
async function attackCandidate(
  student: Classifier,
  list: readonly Example[],
  task: CandidateTask,
  measured: {
    cleanAccuracy: number;
    params: number;
    latencyMs: number;
    resources: AttackResources;
  },
): Promise<{
  robustness: number;
  metrics: AttackMetrics;
  victimQueries: number;
  outcomes: string;
  racing?: RacingRecord;
}> {
  const s = task.settings;
  // no search-time attack (KD-NAS without a robustness term): robustness is not measured
  if (s.attack.examples === 0 && !s.attack.racing) {
    return { robustness: NaN, metrics: attackMetrics([]), victimQueries: 0, outcomes: "" };
  }
  const once = (examples: readonly Example[]) =>
    attackModel(student, examples, s.attack.recipe, {
      dataset: s.dataset,
      queryBudget: s.attack.queryBudget,
      maxLength: s.train.maxLength,
      resources: measured.resources,
    });
  if (!s.attack.racing) return await once(list.slice(0, s.attack.examples));
  // racing: the list in steps
  if (!s.fitness) throw new TypeError("racing needs settings.fitness (name and options)");
  const fitnessSettings = s.fitness;
  const parts: AttackOutcome[] = [];
  const race = await raceCandidate({
    racing: { initial: s.attack.examples, ...s.attack.racing },
    available: list.length,
    attack: async (from, to) => {
      const part = await once(list.slice(from, to));
      parts.push(part);
      return robustOf(part.outcomes);
    },
    fitnessAt: (robustness) =>
      computeFitness(fitnessSettings.name as FitnessName, {
        cleanAccuracy: measured.cleanAccuracy,
        robustness,
        params: measured.params,
        teacherParams: task.teacher.params,
        latencyMs: measured.latencyMs,
        teacherLatencyMs: task.teacher.latencyMs,
      }, fitnessSettings.options).fitness,
    threshold: () => task.threshold ?? -Infinity,
  });
  const outcomes = parts.map((p) => p.outcomes).join("");
  const last = race.steps.at(-1)!;
  return {
    robustness: last.robust / last.attacked,
    metrics: attackMetrics(parts.flatMap((p) => p.stats)),
    victimQueries: parts.reduce((a, p) => a + p.victimQueries, 0),
    outcomes,
    racing: {
      steps: race.steps.map((x) => x.attacked),
      stopped: race.stopped,
      threshold: task.threshold ?? -Infinity,
      fitness: last.fitness,
    },
  };
}

/** Evaluates one genome end to end. Every tensor it creates is disposed before it returns. */
export async function evaluateCandidate(task: CandidateTask): Promise<CandidateResult> {
  const t0 = performance.now();
  const s = task.settings;
  const data = await searchData(s);
  const tokenizer = await createBertTokenizer();
  const proxyCache = openCache(task.caches.proxy, data.proxy, "the proxy subset");
  const valCache = openCache(task.caches.validation, data.validation, "the validation subset");
  const resources = s.attack.examples > 0 || s.attack.racing
    ? await attackResources([s.attack.recipe], { teacherDir: task.teacher.dir })
    : null;
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
    const summary = await trainStudent(student, data.proxy, proxyCache, s, {
      seed: task.seed,
      teacherDir: task.teacher.dir,
    });
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
    const tLatency = performance.now();
    const latency = measureLatency(student, s.latency);
    const latencies = latencyProfiles(student, s);
    const params = student.countParams();
    const tAttack = performance.now();
    const attack = await attackCandidate(student, data.attackSet, task, {
      cleanAccuracy,
      params,
      latencyMs: latency.medianMs,
      resources: resources!,
    });
    const tEnd = performance.now();
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
      ...(latencies ? { latencies } : {}),
      cleanAccuracy,
      teacherAgreement,
      robustness: attack.robustness,
      attack: {
        ...attack.metrics,
        recipe: s.attack.recipe,
        queryBudget: s.attack.queryBudget,
        victimQueries: attack.victimQueries,
        outcomes: attack.outcomes,
      },
      ...(attack.racing ? { racing: attack.racing, fitnessInterval: attack.racing.fitness } : {}),
      architectureStats: stats,
      train: {
        steps: summary.steps,
        finalLoss: last?.loss ?? NaN,
        msPerStep: summary.msPerStep,
      },
      seconds: {
        total: (tEnd - t0) / 1000,
        train: (tEval - tTrain) / 1000,
        evaluate: (tLatency - tEval) / 1000,
        latency: (tAttack - tLatency) / 1000,
        attack: (tEnd - tAttack) / 1000,
      },
      leakedTensors: 0,
    };
  } finally {
    student.dispose();
  }
  result.leakedTensors = tf.memory().numTensors - before;
  return result;
}
