/**
 * One layer-match term of the objective: picks the student's feature from its forward output,
 * the teacher's from the teacher step, and applies the entry's loss.
 */
import * as tf from "@tensorflow/tfjs";
import type { ModelOutput } from "../models/mod.ts";
import type { LayerMatch } from "./objective.ts";
import { clsOf, cosineLoss, hiddenMSE, patientLoss, type Projection } from "./hidden_losses.ts";
import { attentionMSE } from "./attention_loss.ts";

/** The student's tensor for an entry: hidden [b, s, w], cls [b, w] or attention [b, h, s, s]. */
export function studentFeature(out: ModelOutput, m: LayerMatch, index: number): tf.Tensor {
  if (m.feature === "attention") {
    const a = out.attentions?.[m.studentLayer - 1];
    if (!a) {
      throw new RangeError(
        `layers[${index}]: the student returned no attention map for layer ${m.studentLayer}`,
      );
    }
    return a;
  }
  const h = out.hidden[m.studentLayer];
  if (!h) {
    throw new RangeError(
      `layers[${index}]: the student returned no hidden state ${m.studentLayer} ` +
        `(got ${out.hidden.length})`,
    );
  }
  return m.feature === "cls" ? clsOf(h) : h;
}

/** Same for a live teacher's output. */
export function teacherFeature(out: ModelOutput, m: LayerMatch, index: number): tf.Tensor {
  if (m.feature === "attention") {
    const a = out.attentions?.[m.teacherLayer - 1];
    if (!a) {
      throw new RangeError(
        `layers[${index}]: the teacher returned no attention map for layer ${m.teacherLayer}`,
      );
    }
    return a;
  }
  const h = out.hidden[m.teacherLayer];
  if (!h) {
    throw new RangeError(
      `layers[${index}]: the teacher returned no hidden state ${m.teacherLayer} ` +
        `(got ${out.hidden.length})`,
    );
  }
  return m.feature === "cls" ? clsOf(h) : h;
}

/**
 * The entry's loss (without its objective weight). `mask` is the batch's attention mask [b, s];
 * `weights` [b], optional, weigh each example's terms (distill `exampleWeights`).
 */
export function matchLoss(
  m: LayerMatch,
  student: tf.Tensor,
  teacher: tf.Tensor,
  mask: tf.Tensor2D,
  projection: Projection | undefined,
  weights?: tf.Tensor1D,
): tf.Scalar {
  if (m.feature === "attention") {
    return attentionMSE(student as tf.Tensor4D, teacher as tf.Tensor4D, mask, weights);
  }
  if (m.feature === "hidden") {
    const s = student as tf.Tensor3D, t = teacher as tf.Tensor3D;
    return m.loss === "cosine"
      ? cosineLoss(s, t, mask, { projection, weights })
      : hiddenMSE(s, t, mask, { projection, weights });
  }
  // cls: vectors [b, w]
  if (m.loss === "pkd") {
    return patientLoss(student as tf.Tensor2D, teacher as tf.Tensor2D, { projection, weights });
  }
  return tf.tidy(() => {
    const s = tf.expandDims(student, 1) as tf.Tensor3D; // [b, 1, wS]
    const t = tf.expandDims(teacher, 1) as tf.Tensor3D; // [b, 1, wT]
    const ones = tf.ones([s.shape[0], 1]) as tf.Tensor2D; // [b, 1]
    return m.loss === "cosine"
      ? cosineLoss(s, t, ones, { projection, weights })
      : hiddenMSE(s, t, ones, { projection, weights });
  });
}
