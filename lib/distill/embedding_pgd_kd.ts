/**
 * KD with embedding-space adversarial training, the other baseline kind MATE-KD is compared with
 * (Rashid et al. 2021, Table 3's adversarial-training rows, FreeLB: Zhu et al. 2020, ICLR; PGD:
 * Madry et al. 2018, ICLR). Before each student step, `steps` PGD ascent steps on a perturbation
 * delta of the STUDENT's word vectors maximise D(T(x), S(x + delta)) (the teacher on the clean
 * batch: the two models' word spaces differ), each step normalised per token (L2) and delta
 * projected per token onto a ball of radius `epsilon` x the mean word-vector norm of the batch
 * (a relative radius, ours: our students start from scratch and their embedding scale moves);
 * padding positions stay unperturbed. The loop then adds `weight` · D(T(x), S(x + delta)).
 * Ours, where FreeLB differs: no gradient accumulation over the ascent steps (PGD-K, not
 * FreeLB's "free" accumulation); random start uniform in the ball's cube, as FreeLB's init.
 *
 * The default radius, 0.03, was chosen on the held-out validation sentences (never dev): the
 * TinyBERT-style student from scratch, 8,000 SST-2 examples, 250 steps, lr 1e-3, seed 42, PGD-2
 * (2026-12-03): validation accuracy with plain KD 76.3%; epsilon 0.001: 77.8, 0.01: 77.6,
 * 0.03: 76.0 (ascent raises the divergence 0.37 -> 0.44), 0.1 and 0.3: 52.3 (chance: the student
 * never leaves the plateau a from-scratch transformer sits on for its first ~120 steps). FreeLB
 * perturbs pretrained models, which have no such plateau; 0.03 is the largest radius tried that
 * keeps validation accuracy within a point of plain KD.
 */
import * as tf from "@tensorflow/tfjs";
import type { EncodedBatch } from "../data/mod.ts";
import { type Classifier, wordTableOf, wordTableWidth, wordVectors } from "../models/mod.ts";
import { Prng } from "../random/mod.ts";
import type { AugmenterContext, DistillAugmenter } from "./augmenter.ts";
import { softCE } from "./logit_losses.ts";

export interface EmbeddingPgdKdOptions {
  /** Per-token radius relative to the batch's mean word-vector norm; default 0.03 (above). */
  epsilon?: number;
  /** Ascent steps; default 2. */
  steps?: number;
  /** Step size as a fraction of the radius; default 2.5 / steps (Madry et al.'s rule). */
  stepSize?: number;
  /** Weight of D(T(x), S(x + delta)); default 1/3 (as MATE-KD's third term). */
  weight?: number;
  seed?: number;
}

export function embeddingPgdKd(options: EmbeddingPgdKdOptions = {}): DistillAugmenter & {
  /** D(T(x), S(x + delta)) after each ascent step of the last call (for tests and charts). */
  readonly lastAscent: readonly number[];
  perturb(batch: EncodedBatch, teacher: Classifier, student: Classifier): tf.Tensor2D;
} {
  const { epsilon = 0.03, steps = 2, weight = 1 / 3, seed = 0 } = options;
  const stepSize = options.stepSize ?? 2.5 / steps;
  if (!(epsilon > 0) || !Number.isInteger(steps) || steps < 1) {
    throw new RangeError(`embeddingPgdKd: need epsilon > 0 and steps >= 1 (${epsilon}, ${steps})`);
  }
  const prng = Prng.fromSeed(seed);
  let lastAscent: number[] = [];

  const perturb = (batch: EncodedBatch, teacher: Classifier, student: Classifier): tf.Tensor2D => {
    const n = batch.batchSize * batch.seqLen, e = wordTableWidth(student);
    const target = tf.tidy(() => teacher.forward(batch, { training: false }).logits);
    const mask = tf.tensor2d(Float32Array.from(batch.attentionMask), [n, 1]);
    const radius = tf.tidy(() => {
      const v = wordVectors(
        wordTableOf(student) as unknown as tf.Tensor2D,
        tf.tensor1d(batch.inputIds, "int32"),
      );
      const norms = tf.sqrt(tf.sum(tf.square(v), 1));
      return tf.mul(tf.div(tf.sum(tf.mul(norms, tf.reshape(mask, [n]))), tf.sum(mask)), epsilon);
    });
    const project = (d: tf.Tensor2D) =>
      tf.tidy(() => {
        const norm = tf.sqrt(tf.add(tf.sum(tf.square(d), 1, true), 1e-12)); // [n, 1]
        return tf.mul(tf.mul(d, tf.minimum(1, tf.div(radius, norm))), mask) as tf.Tensor2D;
      });
    let delta = tf.tidy(() =>
      project(tf.mul(tf.randomUniform([n, e], -1, 1, "float32", prng.seed()), radius))
    );
    lastAscent = [];
    try {
      for (let k = 0; k < steps; k++) {
        const { value, grad } = tf.valueAndGrad((d: tf.Tensor) =>
          softCE(
            student.forward(batch, {
              training: false,
              wordReplacement: { positions: new Int32Array(0), delta: d as tf.Tensor2D },
            }).logits,
            target,
            { temperature: 1 },
          )
        )(delta);
        lastAscent.push(value.dataSync()[0]);
        const next = tf.tidy(() => {
          const g = tf.div(grad, tf.sqrt(tf.add(tf.sum(tf.square(grad), 1, true), 1e-12)));
          return project(tf.add(delta, tf.mul(g, tf.mul(radius, stepSize))) as tf.Tensor2D);
        });
        tf.dispose([value, grad, delta]);
        delta = next;
      }
      return delta;
    } finally {
      tf.dispose([target, mask, radius]);
    }
  };

  return {
    name: `embedding PGD KD (eps ${epsilon} x mean norm, ${steps} steps, step ${stepSize})`,
    weight,
    teacherSees: false,
    get lastAscent() {
      return lastAscent;
    },
    perturb,
    prepare: (ctx: AugmenterContext) => ({
      positions: new Int32Array(0),
      delta: perturb(ctx.batch, ctx.teacher, ctx.student),
    }),
    dispose: () => {},
  };
}
