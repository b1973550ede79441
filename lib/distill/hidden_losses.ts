/**
 * Losses on hidden states, each masked so that padding changes nothing:
 * - `hiddenMSE`: TinyBERT's MSE(H_S W_h, H_T) (Jiao et al. 2020), mean over real tokens and
 *   teacher features, through a learned projection W_h when the widths differ.
 * - `cosineLoss`: DistilBERT's cosine embedding loss (Sanh et al. 2019) 1 − cos(h_S, h_T),
 *   mean over real tokens.
 * - `patientLoss`: BERT-PKD (Sun et al. 2019) Σ_features (h_S/‖h_S‖ − h_T/‖h_T‖)² on [CLS]
 *   (position 0), mean over the batch (the paper sums over examples; the mean keeps the weight
 *   independent of the batch size).
 *
 * A `Projection` is training-only: its variables live in a Map of their own (see
 * `createProjection`) and are never part of the student's `params`, so they do not count
 * in the student's size; `distill()` creates one per layer match and disposes it at the end.
 *
 * Norms use sqrt(max(‖x‖², 1e-12)) so that a zero vector gives a finite loss and gradient.
 */
import * as tf from "@tensorflow/tfjs";
import { assertMask, assertNonEmptyBatch, assertRank, assertSameDims } from "./_checks.ts";
import { Prng } from "../random/mod.ts";

/** A learned linear map student width → teacher width: y = x·kernel + bias. */
export interface Projection {
  kernel: tf.Variable; // [studentWidth, teacherWidth]
  bias: tf.Variable; // [teacherWidth]
}

export interface ProjectionOptions {
  /** Learned map from the student's width to the teacher's; needed when the widths differ. */
  projection?: Projection;
  /**
   * Per-example weights [batch] (Meta-KD): each example's terms are multiplied by its weight in
   * the sum; the normaliser (real tokens, or the batch size) is unchanged, so weights of 1 give
   * the unweighted loss.
   */
  weights?: tf.Tensor1D;
}

/** [batch, ...] rows multiplied by weights [batch] (checked), or `x` unchanged without weights. */
export function weighRows(where: string, x: tf.Tensor, weights?: tf.Tensor1D): tf.Tensor {
  if (!weights) return x;
  if (weights.rank !== 1 || weights.shape[0] !== x.shape[0]) {
    throw new RangeError(
      `${where}: weights must be [batch] = [${x.shape[0]}], got [${weights.shape}]`,
    );
  }
  return tf.mul(x, tf.reshape(weights, [x.shape[0], ...x.shape.slice(1).map(() => 1)]));
}

/**
 * Creates a projection, initialised like PyTorch's nn.Linear (uniform ±1/√studentWidth, which
 * TinyBERT's W_h uses), and registers its two variables in `store` under `${name}.kernel` and
 * `${name}.bias`. Variable names get a unique suffix (tfjs variable names are global).
 */
export function createProjection(
  name: string,
  widths: { student: number; teacher: number },
  options: { prng: Prng; store?: Map<string, tf.Variable> },
): Projection {
  const { student, teacher } = widths;
  if (!Number.isInteger(student) || student <= 0 || !Number.isInteger(teacher) || teacher <= 0) {
    throw new RangeError(
      `createProjection(${name}): widths must be positive integers, got ${student} → ${teacher}`,
    );
  }
  const limit = 1 / Math.sqrt(student);
  const unique = `${name}#${options.prng.seed()}`;
  const kernelInit = tf.randomUniform(
    [student, teacher],
    -limit,
    limit,
    "float32",
    options.prng.seed(),
  );
  const biasInit = tf.zeros([teacher]);
  const kernel = tf.variable(kernelInit, true, `${unique}.kernel`);
  const bias = tf.variable(biasInit, true, `${unique}.bias`);
  tf.dispose([kernelInit, biasInit]); // the variables keep their own reference to the data
  options.store?.set(`${name}.kernel`, kernel);
  options.store?.set(`${name}.bias`, bias);
  return { kernel, bias };
}

/** x [..., studentWidth] → [..., teacherWidth] through the projection, or x itself. */
function project(
  where: string,
  x: tf.Tensor,
  targetWidth: number,
  projection?: Projection,
): tf.Tensor {
  const width = x.shape[x.rank - 1];
  if (projection === undefined) {
    if (width !== targetWidth) {
      throw new TypeError(
        `${where}: student width ${width} differs from teacher width ${targetWidth}; ` +
          `pass { projection }`,
      );
    }
    return x;
  }
  const [pIn, pOut] = projection.kernel.shape;
  if (pIn !== width || pOut !== targetWidth) {
    throw new TypeError(
      `${where}: projection is [${pIn}, ${pOut}] but the widths are ${width} → ${targetWidth}`,
    );
  }
  const flat = tf.reshape(x, [-1, width]); // [rows, studentWidth]
  const y = tf.add(tf.matMul(flat, projection.kernel), projection.bias); // [rows, teacherWidth]
  return tf.reshape(y, [...x.shape.slice(0, -1), targetWidth]);
}

function l2normalize(x: tf.Tensor): tf.Tensor {
  // x [..., d] / sqrt(max(Σ x², 1e-12))
  const norm = tf.sqrt(tf.maximum(tf.sum(tf.square(x), -1, true), 1e-12));
  return tf.div(x, norm);
}

function checkSequencePair(
  where: string,
  student: tf.Tensor,
  teacher: tf.Tensor,
  mask: tf.Tensor,
): void {
  assertRank(where, "studentHidden", student, [3]);
  assertRank(where, "teacherHidden", teacher, [3]);
  assertSameDims(where, ["studentHidden", "teacherHidden"], student, teacher, [0, 1]);
  assertNonEmptyBatch(where, student);
  assertMask(where, mask, student.shape[0] as number, student.shape[1] as number);
}

/**
 * TinyBERT hidden-state loss: Σ_{real tokens} Σ_features (H_S W_h − H_T)² / (tokens · width_T).
 * An all-padding batch gives 0 (the count is clamped to ≥ 1).
 */
export function hiddenMSE(
  studentHidden: tf.Tensor3D,
  teacherHidden: tf.Tensor3D,
  mask: tf.Tensor2D,
  options: ProjectionOptions = {},
): tf.Scalar {
  checkSequencePair("hiddenMSE", studentHidden, teacherHidden, mask);
  return tf.tidy(() => {
    const width = teacherHidden.shape[2];
    // [batch, seq, widthT]
    const s = project("hiddenMSE", studentHidden, width, options.projection);
    const m = tf.cast(mask, "float32"); // [batch, seq]
    const sq = tf.sum(tf.square(tf.sub(s, teacherHidden)), 2); // [batch, seq]
    const tokens = tf.maximum(tf.sum(m), 1);
    const terms = weighRows("hiddenMSE", tf.mul(sq, m), options.weights);
    return tf.div(tf.sum(terms), tf.mul(tokens, width)) as tf.Scalar;
  });
}

/** DistilBERT cosine embedding loss (target +1): mean over real tokens of 1 − cos(h_S, h_T). */
export function cosineLoss(
  studentHidden: tf.Tensor3D,
  teacherHidden: tf.Tensor3D,
  mask: tf.Tensor2D,
  options: ProjectionOptions = {},
): tf.Scalar {
  checkSequencePair("cosineLoss", studentHidden, teacherHidden, mask);
  return tf.tidy(() => {
    const s = project("cosineLoss", studentHidden, teacherHidden.shape[2], options.projection);
    const cos = tf.sum(tf.mul(l2normalize(s), l2normalize(teacherHidden)), 2); // [batch, seq]
    const m = tf.cast(mask, "float32"); // [batch, seq]
    const tokens = tf.maximum(tf.sum(m), 1);
    const terms = weighRows("cosineLoss", tf.mul(tf.sub(1, cos), m), options.weights);
    return tf.div(tf.sum(terms), tokens) as tf.Scalar;
  });
}

/**
 * BERT-PKD patient loss on [CLS]: mean over the batch of ‖h_S/‖h_S‖ − h_T/‖h_T‖‖².
 * Accepts hidden states [batch, seq, width] (position 0 is taken) or vectors [batch, width].
 * Sum it over the matched layers (distill() does, one term per layer match).
 */
export function patientLoss(
  studentHidden: tf.Tensor2D | tf.Tensor3D,
  teacherHidden: tf.Tensor2D | tf.Tensor3D,
  options: ProjectionOptions = {},
): tf.Scalar {
  assertRank("patientLoss", "studentHidden", studentHidden, [2, 3]);
  assertRank("patientLoss", "teacherHidden", teacherHidden, [2, 3]);
  assertSameDims("patientLoss", ["studentHidden", "teacherHidden"], studentHidden, teacherHidden, [
    0,
  ]);
  assertNonEmptyBatch("patientLoss", studentHidden);
  return tf.tidy(() => {
    const s0 = clsOf(studentHidden); // [batch, widthS]
    const t0 = clsOf(teacherHidden); // [batch, widthT]
    const s = project("patientLoss", s0, t0.shape[1], options.projection); // [batch, widthT]
    const d = tf.sub(l2normalize(s), l2normalize(t0)); // [batch, widthT]
    return tf.mean(weighRows("patientLoss", tf.sum(tf.square(d), 1), options.weights)) as tf.Scalar;
  });
}

/** [batch, seq, width] → [batch, width] at position 0 ([CLS]); [batch, width] unchanged. */
export function clsOf(hidden: tf.Tensor): tf.Tensor2D {
  if (hidden.rank === 2) return hidden as tf.Tensor2D;
  const [b, , w] = hidden.shape;
  return tf.reshape(tf.slice(hidden, [0, 0, 0], [b, 1, w]), [b, w]);
}
