/**
 * BERT multi-head self-attention (Vaswani et al. 2017) with the post-LN output block:
 * `LayerNorm(x + Dropout(Dense(Attention(x))))`. Parameters under
 * `{prefix}.attention.self.{query,key,value}` and `{prefix}.attention.output.{dense,LayerNorm}`.
 *
 * wasm speed: one transpose each for q ([b, heads, seq, d]), k ([b, heads, d, seq], already
 * transposed for the score matmul) and v; no matmul transpose flags anywhere
 * (`bmm` has its own gradient).
 */
import * as tf from "@tensorflow/tfjs";
import type { Prng } from "../random/mod.ts";
import type { BertConfig } from "./config.ts";
import { bmm, dropout, layerNorm, linear, maskedSoftmax } from "./_ops.ts";
import type { Getter } from "./embeddings.ts";

/** Additive mask from a 0/1 attention mask: 0 where attended, -1e9 on padded keys. [b, 1, 1, s] */
export function additiveMask(mask: Int32Array, batchSize: number, seqLen: number): tf.Tensor4D {
  const add = new Float32Array(mask.length);
  for (let i = 0; i < mask.length; i++) add[i] = mask[i] ? 0 : -1e9;
  return tf.tensor4d(add, [batchSize, 1, 1, seqLen]);
}

export interface AttentionResult {
  output: tf.Tensor3D; // [b, s, hidden]
  probs?: tf.Tensor4D; // [b, heads, s, s]
}

export function bertAttention(
  p: Getter,
  prefix: string,
  config: BertConfig,
  x: tf.Tensor3D, // [b, s, hidden]
  maskAdd: tf.Tensor4D, // [b, 1, 1, s]
  options: { rng: Prng | null; wantProbs: boolean },
): AttentionResult {
  const [b, s, h] = x.shape;
  const nh = config.num_attention_heads;
  const d = h / nh;
  const sp = `${prefix}.attention.self.`;
  // Three matmuls rather than one fused [h, 3h] + split: on wasm every slice/split copies its
  // whole input (the Slice kernel reads the full tensor back), which costs more than it saves.
  const q0 = linear(x, p(sp + "query.weight"), p(sp + "query.bias")); // [b, s, h]
  const k0 = linear(x, p(sp + "key.weight"), p(sp + "key.bias")); // [b, s, h]
  const v0 = linear(x, p(sp + "value.weight"), p(sp + "value.bias")); // [b, s, h]
  // [b, nh, s, d]
  const q = tf.transpose(tf.reshape(tf.mul(q0, 1 / Math.sqrt(d)), [b, s, nh, d]), [0, 2, 1, 3]);
  const kT = tf.transpose(tf.reshape(k0, [b, s, nh, d]), [0, 2, 3, 1]); // [b, nh, d, s]
  const v = tf.transpose(tf.reshape(v0, [b, s, nh, d]), [0, 2, 1, 3]); // [b, nh, s, d]
  const probs = maskedSoftmax(bmm(q, kT), maskAdd) as tf.Tensor4D; // [b, nh, s, s]
  const probsDrop = dropout(probs, config.attention_probs_dropout_prob, options.rng);
  const ctx = bmm(probsDrop, v); // [b, nh, s, d]
  const merged = tf.reshape(tf.transpose(ctx, [0, 2, 1, 3]), [b, s, h]); // [b, s, h]
  const op = `${prefix}.attention.output.`;
  const dense = dropout(
    linear(merged, p(op + "dense.weight"), p(op + "dense.bias")),
    config.hidden_dropout_prob,
    options.rng,
  );
  const output = layerNorm(
    tf.add(dense, x),
    p(op + "LayerNorm.weight"),
    p(op + "LayerNorm.bias"),
    config.layer_norm_eps,
  ) as tf.Tensor3D;
  return options.wantProbs ? { output, probs } : { output };
}
