/**
 * Test fixture: a tiny Classifier so that lib/distill's tests do not wait on lib/models.
 * Embedding (one-hot × table, which has a gradient on wasm without any fix), then `layers`
 * blocks of parameter-free self-attention (q = k = v = h, split into heads) followed by
 * tanh(dense), then masked mean-pool and a dense head. Hidden states: embeddings first, then
 * every block's output; attentions: every block's probabilities [batch, heads, seq, seq].
 */
import * as tf from "@tensorflow/tfjs";
import type { EncodedBatch } from "../data/mod.ts";
import type { Classifier, ForwardOptions, ModelOutput } from "../models/mod.ts";
import { Prng } from "../random/mod.ts";

export interface TinyConfig {
  vocabSize: number;
  width: number;
  layers: number;
  heads: number;
  numLabels: number;
  /** Std of the initial weights; larger gives a more decisive random teacher. */
  std: number;
  dropout: number;
  seed: number;
}

let instance = 0;

export function createTinyClassifier(config: Partial<TinyConfig> = {}): Classifier {
  const c: TinyConfig = {
    vocabSize: 64,
    width: 8,
    layers: 1,
    heads: 1,
    numLabels: 2,
    std: 0.3,
    dropout: 0,
    seed: 1,
    ...config,
  };
  if (c.width % c.heads !== 0) {
    throw new RangeError(`width ${c.width} not divisible by heads ${c.heads}`);
  }
  const prng = Prng.fromSeed(c.seed);
  const id = instance++;
  const params = new Map<string, tf.Variable>();
  const add = (name: string, shape: number[], zero = false) => {
    const v = tf.tidy(() =>
      zero ? tf.zeros(shape) : tf.randomNormal(shape, 0, c.std, "float32", prng.seed())
    );
    params.set(name, tf.variable(v, true, `tiny${id}.${name}`));
    v.dispose();
  };
  add("embeddings", [c.vocabSize, c.width]);
  for (let l = 0; l < c.layers; l++) {
    add(`layer.${l}.weight`, [c.width, c.width]);
    add(`layer.${l}.bias`, [c.width], true);
  }
  add("classifier.weight", [c.width, c.numLabels]);
  add("classifier.bias", [c.numLabels], true);
  const p = (name: string) => params.get(name)!;

  function forward(batch: EncodedBatch, options: ForwardOptions = {}): ModelOutput {
    const { batchSize: b, seqLen: s } = batch;
    const d = c.width, h = c.heads, dh = d / h;
    return tf.tidy(() => {
      const ids = tf.tensor1d(batch.inputIds, "int32"); // [b*s]
      const mask = tf.tensor2d(batch.attentionMask, [b, s], "int32").toFloat(); // [b, s]
      let x = tf.reshape(tf.matMul(tf.oneHot(ids, c.vocabSize).toFloat(), p("embeddings")), [
        b,
        s,
        d,
      ]); // [b, s, d]
      const hidden: tf.Tensor3D[] = [x as tf.Tensor3D];
      const attentions: tf.Tensor4D[] = [];
      const keyBias = tf.reshape(tf.mul(tf.sub(1, mask), -1e9), [b, 1, 1, s]); // [b, 1, 1, s]
      for (let l = 0; l < c.layers; l++) {
        const heads = tf.transpose(tf.reshape(x, [b, s, h, dh]), [0, 2, 1, 3]); // [b, h, s, dh]
        const keysT = tf.transpose(heads, [0, 1, 3, 2]); // [b, h, dh, s]
        // [b, h, s, s]
        const scores = tf.add(tf.div(tf.matMul(heads, keysT), Math.sqrt(dh)), keyBias);
        const probs = tf.softmax(scores) as tf.Tensor4D; // [b, h, s, s]
        attentions.push(probs);
        // [b*s, d]
        const ctx = tf.reshape(tf.transpose(tf.matMul(probs, heads), [0, 2, 1, 3]), [b * s, d]);
        x = tf.reshape(
          tf.tanh(tf.add(tf.matMul(ctx, p(`layer.${l}.weight`)), p(`layer.${l}.bias`))),
          [b, s, d],
        );
        hidden.push(x as tf.Tensor3D);
      }
      const summed = tf.sum(tf.mul(x, tf.expandDims(mask, 2)), 1); // [b, d]
      let pooled = tf.div(summed, tf.maximum(tf.sum(mask, 1, true), 1)); // [b, d]
      if (options.training && c.dropout > 0) {
        pooled = tf.dropout(pooled, c.dropout, undefined, options.seed);
      }
      const logits = tf.add(
        tf.matMul(pooled, p("classifier.weight")),
        p("classifier.bias"),
      ) as tf.Tensor2D;
      const out: ModelOutput = { logits, hidden: options.outputHidden ? hidden : [] };
      if (options.outputAttentions) out.attentions = attentions;
      return out as unknown as tf.TensorContainer;
    }) as unknown as ModelOutput;
  }

  return {
    kind: "tiny-test",
    config: { ...c },
    params,
    numLabels: c.numLabels,
    forward,
    countParams: () => [...params.values()].reduce((n, v) => n + v.size, 0),
    dispose: () => params.forEach((v) => v.dispose()),
  };
}
