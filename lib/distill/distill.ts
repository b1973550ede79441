/**
 * The distillation loop: one readable loop in the style of minGPT's `Trainer.run`, with
 * progress, evaluation, early stopping and checkpoints as callbacks.
 *
 * Pass `null` as the teacher for plain supervised training (objective.ce only; used to train the
 * default teacher itself).
 * Per step: the teacher's targets (live forward in inference mode, or read from a teacher
 * cache), then the student's forward with seeded dropout inside `tf.variableGrads`, the loss
 *   L = kl.weight · KL_T + softCE.weight · softCE_T + ce.weight · CE
 *       + Σ_i layers[i].weight · loss_i
 * (each term unweighted in the loss curve), a NaN/Inf check before anything is applied,
 * global-norm clipping, decoupled weight decay and an Adam update.
 *
 * Optimizer, a documented choice: AdamW (Loshchilov & Hutter 2019; `adamw.ts`): tfjs's Adam
 * plus decoupled weight decay applied before each update (θ ← θ·(1 − lr·wd), as PyTorch's AdamW
 * does), skipped for biases and LayerNorm parameters (`noDecay`), with the schedule's learning
 * rate (linear warmup, then linear decay to 0) given per step; on wasm two fused kernels.
 * BERT's Adam epsilon is 1e-6 (default here). Adam's bias correction is tfjs's (standard Adam;
 * BERT's original optimizer omitted it).
 *
 * Training-only projections (student width → teacher width, TinyBERT's W_h) are created per
 * hidden/cls layer match when the widths differ (or always, with `projection: "always"`), kept
 * in their own Map (never in `student.params`, so never in the student's size) and disposed
 * when the loop ends, as are the optimizer's slots and the best-weights snapshot.
 *
 * Randomness: `seed` gives one Prng, forked for batch order, dropout seeds and projection
 * initialisation, so two runs with the same seed and data are identical.
 */
import * as tf from "@tensorflow/tfjs";
import type { EncodedBatch } from "../data/mod.ts";
import type { Classifier, ModelOutput, WordReplacement } from "../models/mod.ts";
import { Prng } from "../random/mod.ts";
import { taskProgress } from "../backend/mod.ts";
import { hardLabelCE, softCE, softTargetKL } from "./logit_losses.ts";
import { AdamW } from "./adamw.ts";
import { clsOf, createProjection, type Projection } from "./hidden_losses.ts";
import {
  type LayerMatch,
  type Objective,
  type ObjectiveInput,
  parseObjective,
  validateLayerMatches,
} from "./objective.ts";
import { checkLengths, type TeacherCache } from "./teacher_cache.ts";
import { evaluateAccuracy } from "./evaluate.ts";
import { matchLoss, studentFeature, teacherFeature } from "./_match.ts";
import { linearWarmupDecay } from "./_schedule.ts";
import type { DistillAugmenter } from "./augmenter.ts";

export type TeacherSource = Classifier | TeacherCache;

export interface DistillData {
  /**
   * Training batches (their order is shuffled per epoch), or a function giving each epoch's
   * batches.
   */
  train: EncodedBatch[] | ((epoch: number, prng: Prng) => EncodedBatch[]);
  /** Validation batches with labels, for evaluation and early stopping. */
  validation?: EncodedBatch[];
}

export interface DistillProgress {
  step: number;
  totalSteps: number;
  epoch: number;
  /** Weighted total loss of this step. */
  loss: number;
  /** Unweighted value of every term, by name ("kl", "ce", "layers[0]:hidden 1→3 mse", ...). */
  parts: Record<string, number>;
  learningRate: number;
  /** Gradient global norm before clipping. */
  gradNorm: number;
  msPerStep: number;
}

export interface DistillEvaluation {
  step: number;
  epoch: number;
  accuracy: number;
  bestAccuracy: number;
  improved: boolean;
}

export interface DistillCheckpoint {
  step: number;
  epoch: number;
  /** Validation accuracy of these weights (null without validation data). */
  accuracy: number | null;
  student: Classifier;
  reason: "best" | "end";
}

export interface DistillOptions {
  /** Loss settings and layer matches (validated with zod). Default: KL at T = 1 only. */
  objective?: ObjectiveInput | Objective;
  /** Default 1 (or as many as `maxSteps` needs). */
  epochs?: number;
  /** Stop after this many updates. */
  maxSteps?: number;
  /** Peak learning rate. Default 1e-3 (small students trained from scratch). */
  learningRate?: number;
  /** Warmup as a fraction of all steps (default 0.1); `warmupSteps` wins when given. */
  warmupFraction?: number;
  warmupSteps?: number;
  /** Decoupled weight decay (AdamW). Default 0.01. */
  weightDecay?: number;
  /**
   * Parameters without weight decay. Default: names containing bias, LayerNorm, layer_norm or norm.
   */
  noDecay?: (name: string) => boolean;
  beta1?: number; // 0.9
  beta2?: number; // 0.999
  epsilon?: number; // 1e-6
  /** Global-norm gradient clipping; 0 turns it off. Default 1. */
  clipNorm?: number;
  /** Seed for batch order, dropout and projections. Default 0. */
  seed?: number;
  /** Shuffle the order of the training batches every epoch. Default true. */
  shuffle?: boolean;
  /** Evaluate every N steps (and at the end). Default: at the end of every epoch. */
  evalEvery?: number;
  /** Stop after this many evaluations without improvement. Default: never. */
  patience?: number;
  /** An improvement must exceed this. Default 0. */
  minDelta?: number;
  /** Put the best validation weights back at the end. Default true. */
  restoreBest?: boolean;
  /** "auto": project only when widths differ (default); "always": TinyBERT's W_h everywhere. */
  projection?: "auto" | "always";
  /**
   * A perturbation trained alongside the student (MATE-KD's generator, lib/distill mate_kd.ts):
   * before each step it gives perturbed inputs x' and the loss gains
   * `augmenter.weight` · softCE_{T=1}(S(x'), T(x')) (part "adversarial"). Needs a live teacher.
   */
  augmenter?: DistillAugmenter;
  /**
   * Per-example weights by example index (Meta-KD: transferability x teacher confidence) of
   * the logit losses (KL, soft CE, CE: each is then mean_i(w_i l_i)) and of the layer losses
   * (each example's terms times w_i over the unchanged normaliser). The perturbation and
   * auxiliary terms stay unweighted. Default: none.
   */
  exampleWeights?: (indices: readonly number[]) => ArrayLike<number>;
  /**
   * An extra loss on the student's own output with its own trainable variables (updated with the
   * student's): Meta-KD's domain-adversarial head (domain_adversarial.ts). Part "auxiliary".
   */
  auxiliary?: DistillAuxiliary;
  onProgress?: (p: DistillProgress) => void;
  onEvaluate?: (e: DistillEvaluation) => void;
  /** Called on every new best validation accuracy, and once at the end. */
  onCheckpoint?: (c: DistillCheckpoint) => void | Promise<void>;
  signal?: AbortSignal;
}

/** An extra loss term of the student step (see `DistillOptions.auxiliary`). */
export interface DistillAuxiliary {
  name: string;
  weight: number;
  /** Trainable variables of the term (named uniquely), updated by the student's optimizer. */
  variables: Map<string, tf.Variable>;
  /** Needs the student's hidden states (the output then carries them). */
  needsHidden?: boolean;
  loss(out: ModelOutput, batch: EncodedBatch): tf.Scalar;
}

export interface DistillSummary {
  steps: number;
  epochs: number;
  examples: number;
  seconds: number;
  examplesPerSecond: number;
  msPerStep: number;
  /** Accuracy at the last evaluation (null without validation data). */
  finalValAccuracy: number | null;
  bestValAccuracy: number | null;
  bestStep: number | null;
  /** The student holds the best weights (restoreBest and a better earlier evaluation). */
  restoredBest: boolean;
  stopped: "completed" | "early-stopping" | "aborted";
  lossCurve: { step: number; loss: number; learningRate: number; parts: Record<string, number> }[];
  evaluations: { step: number; accuracy: number }[];
  partNames: string[];
  /** Training-only parameters used (projections), not part of the student. */
  projectionParams: number;
}

function isCache(t: TeacherSource | null): t is TeacherCache {
  if (t === null) return false;
  return typeof (t as TeacherCache).logitsFor === "function";
}

const DEFAULT_NO_DECAY = (name: string) => /bias|layernorm|layer_norm|norm/i.test(name);

/** Distils `teacher` (a model or a cache) into `student` in place; returns a summary. */
export async function distill(
  teacher: TeacherSource | null,
  student: Classifier,
  data: DistillData,
  options: DistillOptions = {},
): Promise<DistillSummary> {
  const objective = parseObjective(options.objective ?? {});
  const prng = Prng.fromSeed(options.seed ?? 0);
  const orderPrng = prng.fork(), dropoutPrng = prng.fork(), projectionPrng = prng.fork();
  const cache = isCache(teacher) ? teacher : null;
  const needHidden = objective.layers.some((m) => m.feature !== "attention");
  const needAttention = objective.layers.some((m) => m.feature === "attention");
  const usesLabels = objective.ce.weight > 0;
  if (
    teacher === null &&
    (objective.kl.weight > 0 || objective.softCE.weight > 0 || objective.layers.length > 0)
  ) {
    throw new TypeError(
      "distill: without a teacher (null: plain supervised training) only objective.ce may have " +
        "weight; set kl.weight and softCE.weight to 0 and layers to []",
    );
  }

  // Epoch 0's batches; the step budget and the schedule follow from their count.
  const epochBatches = (epoch: number): EncodedBatch[] => {
    if (typeof data.train === "function") return data.train(epoch, orderPrng);
    const order = [...data.train];
    return options.shuffle ?? true ? orderPrng.shuffle(order) : order;
  };
  let batches = epochBatches(0);
  if (batches.length === 0) throw new RangeError("distill: data.train has no batches");
  const stepsPerEpoch = batches.length;
  const epochs = options.epochs ??
    (options.maxSteps ? Math.ceil(options.maxSteps / stepsPerEpoch) : 1);
  const totalSteps = Math.min(options.maxSteps ?? Infinity, epochs * stepsPerEpoch);
  if (!(totalSteps >= 1)) {
    throw new RangeError(`distill: nothing to do (epochs ${epochs}, maxSteps ${options.maxSteps})`);
  }
  const warmupSteps = options.warmupSteps ??
    Math.round((options.warmupFraction ?? 0.1) * totalSteps);
  const peak = options.learningRate ?? 1e-3;
  const weightDecay = options.weightDecay ?? 0.01;
  const noDecay = options.noDecay ?? DEFAULT_NO_DECAY;
  const clipNorm = options.clipNorm ?? 1;
  const evalEvery = options.evalEvery ?? stepsPerEpoch;
  const patience = options.patience ?? Infinity;
  const minDelta = options.minDelta ?? 0;
  if (data.validation?.some((b) => !b.labels)) {
    throw new TypeError("distill: every validation batch needs labels");
  }

  const projections = new Map<string, tf.Variable>();
  const projectionOf: (Projection | undefined)[] = [];
  const optimizer = new AdamW({
    beta1: options.beta1 ?? 0.9,
    beta2: options.beta2 ?? 0.999,
    epsilon: options.epsilon ?? 1e-6,
  });
  let best: Map<string, tf.Tensor> | null = null;
  const partNames = [
    ...(objective.kl.weight > 0 ? ["kl"] : []),
    ...(objective.softCE.weight > 0 ? ["softCE"] : []),
    ...(usesLabels ? ["ce"] : []),
    ...objective.layers.map((m, i) =>
      `layers[${i}]:${m.feature} ${m.studentLayer}→${m.teacherLayer} ${m.loss}`
    ),
    ...(options.augmenter ? ["adversarial"] : []),
    ...(options.auxiliary ? ["auxiliary"] : []),
  ];
  const partWeights = [
    ...(objective.kl.weight > 0 ? [objective.kl.weight] : []),
    ...(objective.softCE.weight > 0 ? [objective.softCE.weight] : []),
    ...(usesLabels ? [objective.ce.weight] : []),
    ...objective.layers.map((m) => m.weight),
    ...(options.augmenter ? [options.augmenter.weight] : []),
    ...(options.auxiliary ? [options.auxiliary.weight] : []),
  ];
  const augmenter = options.augmenter;
  if (augmenter && (teacher === null || cache)) {
    throw new TypeError(
      `distill: the augmenter ${augmenter.name} needs the live teacher (a Classifier), not ${
        teacher === null ? "null" : "a teacher cache"
      }: it runs the teacher on perturbed inputs`,
    );
  }
  if (partNames.length === 0) {
    throw new RangeError(
      "distill: every loss weight is 0; set objective.kl.weight, ce.weight or layers",
    );
  }

  try {
    setUpLayerMatches(teacher, student, batches[0], objective.layers, {
      needHidden,
      needAttention,
      mode: options.projection ?? "auto",
      prng: projectionPrng,
      projections,
      projectionOf,
    });
    const studentVars = [...student.params.entries()].filter(([, v]) => v.trainable);
    const vars = [
      ...studentVars,
      ...projections.entries(),
      ...(options.auxiliary?.variables.entries() ?? []),
    ];
    const summary: DistillSummary = {
      steps: 0,
      epochs: 0,
      examples: 0,
      seconds: 0,
      examplesPerSecond: 0,
      msPerStep: 0,
      finalValAccuracy: null,
      bestValAccuracy: null,
      bestStep: null,
      restoredBest: false,
      stopped: "completed",
      lossCurve: [],
      evaluations: [],
      partNames,
      projectionParams: [...projections.values()].reduce((n, v) => n + v.size, 0),
    };
    const started = performance.now();
    let sinceBest = 0;
    let step = 0;

    const evaluate = async (epoch: number) => {
      if (!data.validation?.length) return;
      const accuracy = evaluateAccuracy(student, data.validation);
      const improved = summary.bestValAccuracy === null ||
        accuracy > summary.bestValAccuracy + minDelta;
      summary.finalValAccuracy = accuracy;
      summary.evaluations.push({ step, accuracy });
      if (improved) {
        summary.bestValAccuracy = accuracy;
        summary.bestStep = step;
        sinceBest = 0;
        if (options.restoreBest ?? true) {
          if (best) tf.dispose([...best.values()]);
          best = new Map(studentVars.map(([name, v]) => [name, tf.keep(v.clone())]));
        }
      } else sinceBest++;
      options.onEvaluate?.({
        step,
        epoch,
        accuracy,
        bestAccuracy: summary.bestValAccuracy!,
        improved,
      });
      if (improved) {
        await options.onCheckpoint?.({ step, epoch, accuracy, student, reason: "best" });
      }
    };

    outer: for (let epoch = 0; epoch < epochs; epoch++) {
      if (epoch > 0) batches = epochBatches(epoch);
      for (const batch of batches) {
        if (step >= totalSteps) break outer;
        if (options.signal?.aborted) {
          summary.stopped = "aborted";
          break outer;
        }
        const t0 = performance.now();
        step++;
        const learningRate = linearWarmupDecay(step, { peak, warmupSteps, totalSteps });
        const perturbed = augmenter?.prepare({
          step,
          batch,
          pool: batches,
          teacher: teacher as Classifier,
          student,
        }) ?? null;
        const { loss, parts, gradNorm } = trainStep(teacher, student, batch, {
          perturbed,
          teacherSees: augmenter?.teacherSees,
          objective,
          partNames,
          partWeights,
          vars,
          projectionOf,
          needHidden,
          needAttention,
          usesLabels,
          dropoutSeed: dropoutPrng.seed(),
          learningRate,
          weightDecay,
          noDecay,
          clipNorm,
          optimizer,
          step,
          epoch,
          cache,
          exampleWeights: options.exampleWeights,
          auxiliary: options.auxiliary,
        });
        if (augmenter?.parts) Object.assign(parts, augmenter.parts());
        const msPerStep = performance.now() - t0;
        summary.steps = step;
        summary.examples += batch.batchSize;
        summary.lossCurve.push({ step, loss, learningRate, parts });
        taskProgress(step, totalSteps, "steps"); // to the pool's activity, inside a pool worker
        options.onProgress?.({
          step,
          totalSteps,
          epoch,
          loss,
          parts,
          learningRate,
          gradNorm,
          msPerStep,
        });
        const lastOfEpoch = batch === batches[batches.length - 1];
        if (step % evalEvery === 0 || (options.evalEvery === undefined && lastOfEpoch)) {
          await evaluate(epoch);
          if (sinceBest >= patience) {
            summary.stopped = "early-stopping";
            break outer;
          }
        }
      }
      summary.epochs = epoch + 1;
    }
    summary.seconds = (performance.now() - started) / 1000;
    if (data.validation?.length && summary.evaluations.at(-1)?.step !== step) {
      await evaluate(summary.epochs);
    }
    summary.examplesPerSecond = summary.examples / summary.seconds;
    summary.msPerStep = (summary.seconds * 1000) / Math.max(1, summary.steps);
    const bestSnapshot = best as Map<string, tf.Tensor> | null;
    if (bestSnapshot && summary.bestStep !== summary.evaluations.at(-1)?.step) {
      for (const [name, v] of studentVars) v.assign(bestSnapshot.get(name)!);
      summary.restoredBest = true;
    }
    await options.onCheckpoint?.({
      step,
      epoch: summary.epochs,
      accuracy: summary.restoredBest ? summary.bestValAccuracy : summary.finalValAccuracy,
      student,
      reason: "end",
    });
    return withDisplay(summary);
  } finally {
    const snapshot = best as Map<string, tf.Tensor> | null;
    if (snapshot) tf.dispose([...snapshot.values()]);
    projections.forEach((v) => v.dispose());
    optimizer.dispose();
  }
}

interface SetupContext {
  needHidden: boolean;
  needAttention: boolean;
  mode: "auto" | "always";
  prng: Prng;
  projections: Map<string, tf.Variable>;
  projectionOf: (Projection | undefined)[];
}

/** One probe forward of each model: depths, widths, validation of the matches, projections. */
function setUpLayerMatches(
  teacher: TeacherSource | null,
  student: Classifier,
  batch: EncodedBatch,
  layers: LayerMatch[],
  ctx: SetupContext,
): void {
  if (layers.length === 0) return;
  const shapes = (model: Classifier) => {
    const out = model.forward(batch, {
      training: false,
      outputHidden: ctx.needHidden,
      outputAttentions: ctx.needAttention,
    });
    const r = {
      hiddenWidths: out.hidden.map((h) => h.shape[2]),
      attentionCount: out.attentions?.length ?? 0,
    };
    tf.dispose([out.logits, ...out.hidden, ...(out.attentions ?? [])]);
    return r;
  };
  const depth = (s: { hiddenWidths: number[]; attentionCount: number }) =>
    s.hiddenWidths.length > 0 ? s.hiddenWidths.length - 1 : s.attentionCount;
  const s = shapes(student);
  let teacherWidth: (layer: number) => number;
  if (isCache(teacher)) {
    const h = teacher.hidden;
    validateLayerMatches(layers, {
      teacherLayers: Infinity,
      studentLayers: depth(s),
      teacherAvailable: {
        layers: h?.layers ?? [],
        features: h === null ? [] : h.pooling === "tokens" ? ["hidden", "cls"] : ["cls"],
        what: `the teacher cache (${h ? `${h.pooling} pooling` : "logits only"})`,
      },
    });
    teacherWidth = () => h!.width;
  } else {
    const t = shapes(teacher!);
    validateLayerMatches(layers, { teacherLayers: depth(t), studentLayers: depth(s) });
    teacherWidth = (l) => t.hiddenWidths[l];
  }
  layers.forEach((m, i) => {
    if (m.feature === "attention") return;
    const ws = s.hiddenWidths[m.studentLayer], wt = teacherWidth(m.teacherLayer);
    if (ws !== wt || ctx.mode === "always") {
      ctx.projectionOf[i] = createProjection(`layers[${i}].projection`, {
        student: ws,
        teacher: wt,
      }, {
        prng: ctx.prng,
        store: ctx.projections,
      });
    }
  });
}

interface StepContext {
  exampleWeights?: (indices: readonly number[]) => ArrayLike<number>;
  auxiliary?: DistillAuxiliary;
  /** This step's perturbed inputs (augmenter), disposed by trainStep. */
  perturbed?: WordReplacement | null;
  /** The teacher sees the perturbed inputs too (augmenter.teacherSees, default true). */
  teacherSees?: boolean;
  objective: Objective;
  partNames: string[];
  partWeights: number[];
  vars: [string, tf.Variable][];
  projectionOf: (Projection | undefined)[];
  needHidden: boolean;
  needAttention: boolean;
  usesLabels: boolean;
  dropoutSeed: number;
  learningRate: number;
  weightDecay: number;
  noDecay: (name: string) => boolean;
  clipNorm: number;
  optimizer: AdamW;
  step: number;
  epoch: number;
  cache: TeacherCache | null;
}

/** The teacher's logits and one feature tensor per layer match, for one batch. */
function teacherTargets(
  teacher: TeacherSource | null,
  batch: EncodedBatch,
  c: StepContext,
): { logits: tf.Tensor2D | null; features: tf.Tensor[] } {
  if (teacher === null) return { logits: null, features: [] };
  const { batchSize: b, seqLen: s } = batch;
  const layers = c.objective.layers;
  if (c.cache) {
    const cache = c.cache;
    if (cache.hidden?.pooling === "tokens" && layers.length > 0) checkLengths(batch, cache);
    return tf.tidy(() => {
      const logits = tf.tensor2d(cache.logitsFor(batch.indices), [b, cache.numLabels]);
      const w = cache.hidden?.width ?? 0;
      const features = layers.map((m) => {
        if (cache.hidden!.pooling === "cls") {
          return tf.tensor2d(cache.hiddenFor(batch.indices, m.teacherLayer), [b, w]);
        }
        const h = tf.tensor3d(cache.hiddenFor(batch.indices, m.teacherLayer, { seqLen: s }), [
          b,
          s,
          w,
        ]);
        return m.feature === "cls" ? clsOf(h) : h;
      });
      return { logits, features };
    });
  }
  return tf.tidy(() => {
    const out: ModelOutput = (teacher as Classifier).forward(batch, {
      training: false,
      outputHidden: c.needHidden,
      outputAttentions: c.needAttention,
    });
    return { logits: out.logits, features: layers.map((m, i) => teacherFeature(out, m, i)) };
  });
}

function trainStep(
  teacher: TeacherSource | null,
  student: Classifier,
  batch: EncodedBatch,
  c: StepContext,
) {
  const { objective } = c;
  let labels: tf.Tensor1D | null = null;
  if (c.usesLabels) {
    if (!batch.labels) {
      throw new TypeError(
        `distill: step ${c.step}: objective.ce needs labels but the batch has none`,
      );
    }
    const bad = batch.labels.findIndex((l) => !(l >= 0 && l < student.numLabels));
    if (bad >= 0) {
      throw new RangeError(
        `distill: example ${batch.indices[bad]} has label ${batch.labels[bad]}, allowed 0..${
          student.numLabels - 1
        }`,
      );
    }
    labels = tf.tensor1d(batch.labels, "int32");
  }
  const target = teacherTargets(teacher, batch, c);
  const perturbed = c.perturbed ?? null;
  // the teacher on x' (inference, outside the tape): MATE-KD's T(x')
  const teacherSees = c.teacherSees ?? true;
  const perturbedTarget = perturbed && teacherSees
    ? tf.tidy(() =>
      (teacher as Classifier).forward(batch, { training: false, wordReplacement: perturbed })
        .logits
    )
    : perturbed
    ? tf.keep(tf.clone(target.logits!)) // D(T(x), S(x'))
    : null;
  const mask = tf.tensor2d(batch.attentionMask, [batch.batchSize, batch.seqLen], "int32"); // [b, s]
  const weights = c.exampleWeights
    ? exampleWeightTensor(c.exampleWeights, batch, c.step)
    : undefined;
  let partsT: tf.Tensor | null = null;
  let result: { value: tf.Scalar; grads: tf.NamedTensorMap } | null = null;
  try {
    result = tf.variableGrads(() => {
      const out = student.forward(batch, {
        training: true,
        seed: c.dropoutSeed,
        outputHidden: c.needHidden || (c.auxiliary?.needsHidden ?? false),
        outputAttentions: c.needAttention,
      });
      const parts: tf.Scalar[] = [];
      if (objective.kl.weight > 0) {
        parts.push(
          softTargetKL(out.logits, target.logits!, {
            temperature: objective.kl.temperature,
            weights,
          }),
        );
      }
      if (objective.softCE.weight > 0) {
        parts.push(
          softCE(out.logits, target.logits!, {
            temperature: objective.softCE.temperature,
            weights,
          }),
        );
      }
      if (labels) parts.push(hardLabelCE(out.logits, labels, { weights }));
      objective.layers.forEach((m, i) => {
        parts.push(
          matchLoss(
            m,
            studentFeature(out, m, i),
            target.features[i],
            mask as tf.Tensor2D,
            c.projectionOf[i],
            weights,
          ),
        );
      });
      if (perturbed) {
        const adv = student.forward(batch, {
          training: true,
          seed: c.dropoutSeed + 1,
          wordReplacement: perturbed,
        });
        parts.push(softCE(adv.logits, perturbedTarget!, { temperature: 1 }));
      } else if (c.partNames.includes("adversarial")) parts.push(tf.scalar(0)); // nothing masked
      if (c.auxiliary) parts.push(c.auxiliary.loss(out, batch));
      const stacked = tf.stack(parts); // [parts]
      partsT = tf.keep(stacked);
      return tf.sum(tf.mul(stacked, tf.tensor1d(c.partWeights))) as tf.Scalar;
    }, c.vars.map(([, v]) => v));
    const values = (partsT as unknown as tf.Tensor).dataSync();
    const loss = result.value.dataSync()[0];
    const parts: Record<string, number> = {};
    c.partNames.forEach((name, i) => parts[name] = values[i]);
    if (!Number.isFinite(loss)) {
      const list = c.partNames.map((n, i) => `${n}=${values[i]}`).join(", ");
      throw new RangeError(
        `distill: the loss is ${loss} at step ${c.step} (epoch ${c.epoch}; ${list}); ` +
          `no update was applied. ` +
          `Check the teacher's logits for NaN and lower the learning rate`,
      );
    }
    const gradNorm = c.optimizer.step(c.vars, result.grads, c);
    return { loss, parts, gradNorm };
  } finally {
    tf.dispose([...(target.logits ? [target.logits] : []), ...target.features, mask]);
    weights?.dispose();
    if (perturbed) {
      tf.dispose([
        ...(perturbed.onehot ? [perturbed.onehot] : []),
        ...(perturbed.delta ? [perturbed.delta] : []),
        perturbedTarget!,
      ]);
    }
    if (labels) labels.dispose();
    if (partsT) (partsT as tf.Tensor).dispose();
    if (result) tf.dispose([result.value, ...Object.values(result.grads)]);
  }
}

/** The batch's example weights as a [batch] tensor; non-finite or negative weights fail clearly. */
function exampleWeightTensor(
  f: (indices: readonly number[]) => ArrayLike<number>,
  batch: EncodedBatch,
  step: number,
): tf.Tensor1D {
  const w = Float32Array.from(f(batch.indices));
  if (w.length !== batch.batchSize) {
    throw new RangeError(
      `distill: step ${step}: exampleWeights gave ${w.length} weights for ` +
        `${batch.batchSize} examples`,
    );
  }
  const bad = w.findIndex((x) => !(x >= 0 && Number.isFinite(x)));
  if (bad >= 0) {
    throw new RangeError(
      `distill: step ${step}: example ${batch.indices[bad]} has weight ${w[bad]}; need >= 0`,
    );
  }
  return tf.tensor1d(w);
}

function withDisplay(summary: DistillSummary): DistillSummary {
  const acc = (x: number | null) => x === null ? "n/a" : `${(100 * x).toFixed(2)}%`;
  const text = () =>
    `distill: ${summary.steps} steps, ${summary.epochs} epochs, ${summary.seconds.toFixed(1)} s ` +
    `(${summary.msPerStep.toFixed(1)} ms/step, ${summary.examplesPerSecond.toFixed(0)} ex/s), ` +
    `final loss ${summary.lossCurve.at(-1)?.loss.toFixed(4)}, val acc final ${
      acc(summary.finalValAccuracy)
    } ` +
    `best ${acc(summary.bestValAccuracy)} (step ${summary.bestStep ?? "n/a"}), ${summary.stopped}`;
  Object.defineProperty(summary, Symbol.for("Jupyter.display"), {
    value: () => ({ "text/plain": text() }),
    enumerable: false,
  });
  Object.defineProperty(summary, "toString", { value: text, enumerable: false });
  return summary;
}
