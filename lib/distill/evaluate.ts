/**
 * Evaluation helpers: predicted labels, accuracy against gold labels, and agreement between
 * a student and a teacher (a model or a teacher cache). Inference mode, one batch at a time,
 * every tensor disposed.
 */
import * as tf from "@tensorflow/tfjs";
import type { EncodedBatch } from "../data/mod.ts";
import type { Classifier } from "../models/mod.ts";
import type { TeacherCache } from "./teacher_cache.ts";

/** Argmax of the logits for one batch (inference mode). */
export function predict(model: Classifier | TeacherCache, batch: EncodedBatch): Int32Array {
  if ("logitsFor" in model) {
    const logits = model.logitsFor(batch.indices), c = model.numLabels;
    return Int32Array.from(
      { length: batch.batchSize },
      (_, r) => argmax(logits.subarray(r * c, (r + 1) * c)),
    );
  }
  const labels = tf.tidy(() => tf.argMax(model.forward(batch, { training: false }).logits, 1));
  const out = Int32Array.from(labels.dataSync());
  labels.dispose();
  return out;
}

function argmax(row: Float32Array): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
  return best;
}

/** Fraction of examples whose predicted label equals the gold label. */
export function evaluateAccuracy(model: Classifier, batches: Iterable<EncodedBatch>): number {
  let correct = 0, total = 0;
  for (const batch of batches) {
    if (!batch.labels) {
      throw new TypeError(
        "evaluateAccuracy: a batch has no labels (examples " +
          batch.indices.slice(0, 3).join(", ") + ", ...)",
      );
    }
    const pred = predict(model, batch);
    for (let r = 0; r < batch.batchSize; r++) if (pred[r] === batch.labels[r]) correct++;
    total += batch.batchSize;
  }
  if (total === 0) throw new RangeError("evaluateAccuracy: no examples (the batches are empty)");
  return correct / total;
}

/**
 * Fraction of examples on which two models (or a model and a teacher cache) predict the same
 * label.
 */
export function evaluateAgreement(
  a: Classifier | TeacherCache,
  b: Classifier | TeacherCache,
  batches: Iterable<EncodedBatch>,
): number {
  let same = 0, total = 0;
  for (const batch of batches) {
    const pa = predict(a, batch), pb = predict(b, batch);
    for (let r = 0; r < batch.batchSize; r++) if (pa[r] === pb[r]) same++;
    total += batch.batchSize;
  }
  if (total === 0) throw new RangeError("evaluateAgreement: no examples (the batches are empty)");
  return same / total;
}

/**
 * Per example of a set of `n` (by batch index), in input order: 1 if the predicted label is the
 * gold label, else 0 (what paired tests need). Every index 0..n-1 must be covered.
 */
export function correctByExample(
  model: Classifier,
  batches: Iterable<EncodedBatch>,
  n: number,
): Uint8Array {
  const correct = new Uint8Array(n), seen = new Uint8Array(n);
  for (const b of batches) {
    if (!b.labels) throw new TypeError("correctByExample: a batch has no labels");
    const ps = predict(model, b);
    b.indices.forEach((i, r) => {
      correct[i] = ps[r] === b.labels![r] ? 1 : 0;
      seen[i] = 1;
    });
  }
  const missing = seen.indexOf(0);
  if (missing >= 0) throw new RangeError(`correctByExample: example ${missing} of ${n} not seen`);
  return correct;
}
