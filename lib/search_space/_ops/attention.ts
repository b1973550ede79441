import * as tf from "@tensorflow/tfjs";
import { linear } from "./linear.ts";
import { addMacs } from "./macs.ts";

export interface AttentionWeights {
  q: [tf.Tensor, tf.Tensor];
  k: [tf.Tensor, tf.Tensor];
  v: [tf.Tensor, tf.Tensor];
  o: [tf.Tensor, tf.Tensor];
}

/**
 * Multi-head self-attention (Vaswani et al. 2017), padding keys masked out.
 * x: [batch, seq, hidden]; maskBias: [batch, 1, 1, seq] (0 for tokens, -1e9 for padding).
 * Returns the output [batch, seq, hidden] and the probabilities [batch, heads, seq, seq].
 */
export function selfAttention(
  x: tf.Tensor3D,
  maskBias: tf.Tensor4D,
  w: AttentionWeights,
  heads: number,
): { out: tf.Tensor3D; probs: tf.Tensor4D } {
  const [b, s, h] = x.shape;
  const d = h / heads;
  // [b, heads, s, d]
  const split = (t: tf.Tensor) => tf.transpose(tf.reshape(t, [b, s, heads, d]), [0, 2, 1, 3]);
  const q = split(linear(x, ...w.q));
  const k = split(linear(x, ...w.k));
  const v = split(linear(x, ...w.v));
  const kT = tf.transpose(k, [0, 1, 3, 2]); // [b, heads, d, s]
  addMacs(2 * b * heads * s * s * d);
  const scores = tf.add(tf.mul(tf.matMul(q, kT), 1 / Math.sqrt(d)), maskBias); // [b, heads, s, s]
  const probs = tf.softmax(scores) as tf.Tensor4D;
  const ctx = tf.matMul(probs, v); // [b, heads, s, d]
  const merged = tf.reshape(tf.transpose(ctx, [0, 2, 1, 3]), [b, s, h]); // [b, s, hidden]
  return { out: linear(merged, ...w.o) as tf.Tensor3D, probs };
}
