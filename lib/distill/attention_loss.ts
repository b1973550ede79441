/**
 * TinyBERT's attention loss (Jiao et al. 2020): MSE between student and teacher attention maps.
 *
 * Deviations, both documented choices:
 * - Inputs are attention probabilities (after softmax), which is what `ModelOutput.attentions`
 *   holds; TinyBERT's official code compares the scores before softmax.
 * - When the head counts differ (TinyBERT assumes equal counts), both maps are averaged over
 *   their heads first and one [seq, seq] map per example is compared. With equal counts the
 *   heads are compared one to one.
 *
 * Masking: only pairs whose query and key are both real tokens count; the loss is the mean over
 * those pairs and over the heads compared. An all-padding batch gives 0. Optional per-example
 * weights multiply each example's squared errors (the count is unchanged).
 */
import * as tf from "@tensorflow/tfjs";
import { assertMask, assertNonEmptyBatch, assertRank, assertSameDims } from "./_checks.ts";
import { weighRows } from "./hidden_losses.ts";

export function attentionMSE(
  studentAttn: tf.Tensor4D,
  teacherAttn: tf.Tensor4D,
  mask: tf.Tensor2D,
  /** Per-example weights [batch] of the sum (the normaliser unchanged): Meta-KD. */
  weights?: tf.Tensor1D,
): tf.Scalar {
  const where = "attentionMSE";
  assertRank(where, "studentAttn", studentAttn, [4]);
  assertRank(where, "teacherAttn", teacherAttn, [4]);
  assertSameDims(where, ["studentAttn", "teacherAttn"], studentAttn, teacherAttn, [0, 2, 3]);
  assertNonEmptyBatch(where, studentAttn);
  const [batch, , seq, keys] = studentAttn.shape;
  if (seq !== keys) {
    throw new TypeError(
      `${where}: attention maps must be [batch, heads, seq, seq], got [${
        studentAttn.shape.join(", ")
      }]`,
    );
  }
  assertMask(where, mask, batch, seq);
  return tf.tidy(() => {
    let s: tf.Tensor = studentAttn; // [batch, headsS, seq, seq]
    let t: tf.Tensor = teacherAttn; // [batch, headsT, seq, seq]
    if (studentAttn.shape[1] !== teacherAttn.shape[1]) {
      s = tf.mean(s, 1, true); // [batch, 1, seq, seq]
      t = tf.mean(t, 1, true); // [batch, 1, seq, seq]
    }
    const heads = s.shape[1] as number;
    const m = tf.cast(mask, "float32"); // [batch, seq]
    // [batch, 1, seq, seq]
    const pairs = tf.mul(tf.reshape(m, [batch, 1, seq, 1]), tf.reshape(m, [batch, 1, 1, seq]));
    // [batch, heads, seq, seq]
    const sq = weighRows(where, tf.mul(tf.square(tf.sub(s, t)), pairs), weights);
    const count = tf.maximum(tf.mul(tf.sum(pairs), heads), 1);
    return tf.div(tf.sum(sq), count) as tf.Scalar;
  });
}
