import * as tf from "@tensorflow/tfjs";
import { bmm, maskedSoftmax } from "../../models/mod.ts";
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
  const v = split(linear(x, ...w.v));
  // [b, heads, d, s] in one transpose
  const kT = tf.transpose(tf.reshape(linear(x, ...w.k), [b, s, heads, d]), [0, 2, 3, 1]);
  addMacs(2 * b * heads * s * s * d);
  // lib/models' attention products and masked softmax (fused kernels on wasm)
  const scores = tf.mul(bmm(q, kT), 1 / Math.sqrt(d)); // [b, heads, s, s]
  const probs = maskedSoftmax(scores, maskBias) as tf.Tensor4D;
  const ctx = bmm(probs, v); // [b, heads, s, d]
  const merged = tf.reshape(tf.transpose(ctx, [0, 2, 1, 3]), [b, s, h]); // [b, s, hidden]
  return { out: linear(merged, ...w.o) as tf.Tensor3D, probs };
}
