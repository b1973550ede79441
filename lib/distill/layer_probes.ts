/**
 * AdaBERT's "task-useful knowledge" (Chen et al. 2020): a linear probe classifier trained on each
 * frozen teacher layer (Alain & Bengio 2016), whose logits become the KD targets of the student's
 * intermediate layers. Features: the masked mean of layer l's token states (l = 1..L), computed
 * once with the teacher in inference mode; each probe is softmax regression W_l h + b_l trained
 * with Adam on the training examples (5 epochs, the PyTorch reproduction's), seeded. Returns the
 * probes' logits for every example asked for (`targetsFor`), in input order.
 */
import * as tf from "@tensorflow/tfjs";
import { type BertTokenizer, bucketBatches, type Example } from "../data/mod.ts";
import type { Classifier } from "../models/mod.ts";
import { Prng } from "../random/mod.ts";

export interface LayerProbes {
  layers: number;
  numLabels: number;
  /** Probe logits of example i, layer l (1-based), label c at [(i * layers + l - 1) * C + c]. */
  logits: Float32Array;
  /** Each probe's accuracy on the examples it was trained on, and on `heldOut` (if given). */
  trainAccuracy: number[];
  heldOutAccuracy: number[];
}

/** Masked mean of every layer's token states: features[l][i * H .. (i + 1) * H). */
function layerFeatures(
  teacher: Classifier,
  examples: readonly Example[],
  tokenizer: BertTokenizer,
  maxLength: number,
): { features: Float32Array[]; width: number } {
  let features: Float32Array[] = [], width = 0;
  for (
    const b of bucketBatches(examples as Example[], tokenizer, {
      batchSize: 64,
      maxLength,
      shuffle: false,
    })
  ) {
    const means = tf.tidy(() => {
      const out = teacher.forward(b, { training: false, outputHidden: true });
      const m = tf.reshape(tf.tensor2d(b.attentionMask, [b.batchSize, b.seqLen]).toFloat(), [
        b.batchSize,
        b.seqLen,
        1,
      ]);
      const n = tf.maximum(tf.sum(m, 1), 1);
      return out.hidden.slice(1).map((h) => tf.div(tf.sum(tf.mul(h, m), 1), n));
    });
    if (features.length === 0) {
      width = means[0].shape[1]!;
      features = means.map(() => new Float32Array(examples.length * width));
    }
    means.forEach((t, l) => {
      const v = t.dataSync();
      b.indices.forEach((i, r) =>
        features[l].set(v.subarray(r * width, (r + 1) * width), i * width)
      );
    });
    tf.dispose(means);
  }
  return { features, width };
}

export interface ProbeOptions {
  maxLength: number;
  epochs?: number;
  learningRate?: number;
  batchSize?: number;
  seed: number;
}

/**
 * Trains one probe per teacher layer on `train` (labels needed) and returns the logits of every
 * example of `train` followed by `heldOut` (the architecture split), in that order.
 */
export function trainLayerProbes(
  teacher: Classifier,
  train: readonly Example[],
  heldOut: readonly Example[],
  tokenizer: BertTokenizer,
  o: ProbeOptions,
): LayerProbes {
  const { epochs = 5, learningRate = 1e-2, batchSize = 64 } = o;
  const C = teacher.numLabels, all = [...train, ...heldOut];
  const { features, width: H } = layerFeatures(teacher, all, tokenizer, o.maxLength);
  const L = features.length, N = all.length, T = train.length;
  const logits = new Float32Array(N * L * C);
  const trainAccuracy: number[] = [], heldOutAccuracy: number[] = [];
  const labels = Int32Array.from(all, (e) => e.label);
  const prng = Prng.fromSeed(o.seed);
  for (let l = 0; l < L; l++) {
    const X = tf.tensor2d(features[l], [N, H]);
    // standardise with the training examples' statistics (the probe is linear: only a rescale)
    const Z = tf.tidy(() => {
      const { mean, variance } = tf.moments(X.slice([0, 0], [T, H]), 0);
      return tf.div(tf.sub(X, mean), tf.sqrt(tf.add(variance, 1e-6)));
    });
    const [w0, b0] = [tf.zeros([H, C]), tf.zeros([C])];
    const W = tf.variable(w0), bias = tf.variable(b0);
    tf.dispose([w0, b0]); // the variables keep their own reference
    const opt = tf.train.adam(learningRate);
    const order = Array.from({ length: T }, (_, i) => i);
    for (let epoch = 0; epoch < epochs; epoch++) {
      prng.shuffle(order);
      for (let s = 0; s < T; s += batchSize) {
        const idx = order.slice(s, s + batchSize);
        tf.tidy(() => {
          const xb = tf.gather(Z, tf.tensor1d(idx, "int32"));
          const yb = tf.oneHot(tf.tensor1d(idx.map((i) => labels[i]), "int32"), C);
          opt.minimize(() =>
            tf.losses.softmaxCrossEntropy(yb, tf.add(tf.matMul(xb, W), bias)) as tf.Scalar
          );
        });
      }
    }
    const out = tf.tidy(() => tf.add(tf.matMul(Z, W), bias));
    const v = out.dataSync();
    let rightTrain = 0, rightHeld = 0;
    for (let i = 0; i < N; i++) {
      let best = 0;
      for (let c = 0; c < C; c++) {
        logits[(i * L + l) * C + c] = v[i * C + c];
        if (v[i * C + c] > v[i * C + best]) best = c;
      }
      if (best === labels[i]) i < T ? rightTrain++ : rightHeld++;
    }
    trainAccuracy.push(rightTrain / T);
    heldOutAccuracy.push(N > T ? rightHeld / (N - T) : NaN);
    tf.dispose([X, Z, W, bias, out]);
    opt.dispose();
  }
  return { layers: L, numLabels: C, logits, trainAccuracy, heldOutAccuracy };
}
