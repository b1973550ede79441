/**
 * Losses on the classifier's logits: soft-target KL (Hinton et al. 2015), hard-label
 * cross-entropy and soft-target cross-entropy (MATE-KD, Rashid et al. 2021).
 *
 * Every loss is a pure function of tensors returning a scalar, mean over the batch (optionally
 * weighted per example, `weights`: Meta-KD's transferability-weighted KD).
 * All probabilities are taken through `logSoftmax` (x - max - log Σ exp(x - max)), so no
 * logarithm of an underflowed probability is ever taken: at T = 0.01 with logits of size 50
 * the inputs reach ±5000 and the loss stays finite.
 *
 * NaN: the losses do not sanitise their inputs (that would need a data read every step);
 * a NaN logit gives a NaN loss. `distill()` reads every step's loss and stops with a RangeError
 * naming the step and the loss term before the bad gradient is applied.
 */
import * as tf from "@tensorflow/tfjs";
import { assertNonEmptyBatch, assertRank, assertSameDims } from "./_checks.ts";

export interface TemperatureOptions {
  /** Softmax temperature T > 0. Default 1. */
  temperature?: number;
  /**
   * Per-example weights [batch] (Meta-KD: transferability x teacher confidence): the loss is
   * mean_i(w_i l_i) instead of mean_i(l_i). Default: all 1.
   */
  weights?: tf.Tensor1D;
}

/** mean_i(w_i l_i), or mean_i(l_i) without weights (checked against the batch size). */
function batchMean(where: string, perExample: tf.Tensor, weights?: tf.Tensor1D): tf.Tensor {
  if (!weights) return tf.mean(perExample);
  if (weights.rank !== 1 || weights.shape[0] !== perExample.shape[0]) {
    throw new RangeError(
      `${where}: weights must be [batch] = [${perExample.shape[0]}], got [${weights.shape}]`,
    );
  }
  return tf.mean(tf.mul(perExample, weights));
}

function checkTemperature(where: string, temperature: number): void {
  if (!(temperature > 0) || !Number.isFinite(temperature)) {
    throw new RangeError(`${where}: temperature must be a finite number > 0, got ${temperature}`);
  }
}

function checkPair(where: string, student: tf.Tensor, teacher: tf.Tensor): void {
  assertRank(where, "studentLogits", student, [2]);
  assertRank(where, "teacherLogits", teacher, [2]);
  assertSameDims(where, ["studentLogits", "teacherLogits"], student, teacher, [0, 1]);
  assertNonEmptyBatch(where, student);
}

/**
 * KL(softmax(t/T) || softmax(s/T)) · T², mean over the batch (Hinton et al. 2015: the T² keeps
 * the gradient's size independent of T). As T → 0 it tends to T·(max_j s_j − s_k) with k the
 * teacher's argmax (the argmax cross-entropy scaled by T); as T → ∞, T²·KL tends to
 * Σ_i (Δ_i − mean Δ)² / (2N) with Δ = t − s (logit matching, Hinton's high-temperature limit).
 */
export function softTargetKL(
  studentLogits: tf.Tensor2D,
  teacherLogits: tf.Tensor2D,
  options: TemperatureOptions = {},
): tf.Scalar {
  const temperature = options.temperature ?? 1;
  checkTemperature("softTargetKL", temperature);
  checkPair("softTargetKL", studentLogits, teacherLogits);
  return tf.tidy(() => {
    const logPs = tf.logSoftmax(tf.div(studentLogits, temperature)); // [batch, labels]
    const logPt = tf.logSoftmax(tf.div(teacherLogits, temperature)); // [batch, labels]
    const pt = tf.exp(logPt); // [batch, labels]; underflow to 0 is harmless: 0 · finite = 0
    const kl = tf.sum(tf.mul(pt, tf.sub(logPt, logPs)), 1); // [batch]
    return tf.mul(
      batchMean("softTargetKL", kl, options.weights),
      temperature * temperature,
    ) as tf.Scalar;
  });
}

/**
 * Cross-entropy with soft targets: −Σ softmax(t/T) · log softmax(s/T) · T², mean over the batch.
 * Equals softTargetKL plus the teacher's entropy (same gradient for the student); MATE-KD's
 * divergence D uses it at T = 1.
 */
export function softCE(
  studentLogits: tf.Tensor2D,
  teacherLogits: tf.Tensor2D,
  options: TemperatureOptions = {},
): tf.Scalar {
  const temperature = options.temperature ?? 1;
  checkTemperature("softCE", temperature);
  checkPair("softCE", studentLogits, teacherLogits);
  return tf.tidy(() => {
    const logPs = tf.logSoftmax(tf.div(studentLogits, temperature)); // [batch, labels]
    const pt = tf.softmax(tf.div(teacherLogits, temperature)); // [batch, labels]
    const ce = tf.neg(tf.sum(tf.mul(pt, logPs), 1)); // [batch]
    return tf.mul(batchMean("softCE", ce, options.weights), temperature * temperature) as tf.Scalar;
  });
}

/**
 * Cross-entropy with integer labels, mean over the batch. Labels outside [0, numLabels) are
 * not detected here (that needs a data read): `distill()` checks them on the host.
 */
export function hardLabelCE(
  logits: tf.Tensor2D,
  labels: tf.Tensor1D,
  options: { weights?: tf.Tensor1D } = {},
): tf.Scalar {
  assertRank("hardLabelCE", "logits", logits, [2]);
  assertRank("hardLabelCE", "labels", labels, [1]);
  assertSameDims("hardLabelCE", ["logits", "labels"], logits, labels, [0]);
  assertNonEmptyBatch("hardLabelCE", logits);
  return tf.tidy(() => {
    const logP = tf.logSoftmax(logits); // [batch, labels]
    const oneHot = tf.oneHot(tf.cast(labels, "int32"), logits.shape[1]); // [batch, labels]
    return tf.neg(
      batchMean("hardLabelCE", tf.sum(tf.mul(oneHot, logP), 1), options.weights),
    ) as tf.Scalar;
  });
}
