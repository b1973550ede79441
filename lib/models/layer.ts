/**
 * One BERT encoder layer: self-attention block, then the feed-forward block
 * `LayerNorm(h + Dropout(Dense_out(act(Dense_in(h)))))`. Parameters under
 * `bert.encoder.layer.{i}.{attention,intermediate,output}.*`.
 */
import * as tf from "@tensorflow/tfjs";
import type { Prng } from "../random/mod.ts";
import type { BertConfig } from "./config.ts";
import { activate, dropout, layerNorm, linear } from "./_ops.ts";
import { type AttentionResult, bertAttention } from "./attention.ts";
import type { Getter } from "./embeddings.ts";

export function bertLayer(
  p: Getter,
  index: number,
  config: BertConfig,
  x: tf.Tensor3D, // [b, s, hidden]
  maskAdd: tf.Tensor4D, // [b, 1, 1, s]
  options: { rng: Prng | null; wantProbs: boolean },
): AttentionResult {
  const prefix = `bert.encoder.layer.${index}`;
  const att = bertAttention(p, prefix, config, x, maskAdd, options);
  const inter = activate(
    linear(
      att.output,
      p(`${prefix}.intermediate.dense.weight`),
      p(`${prefix}.intermediate.dense.bias`),
    ),
    config.hidden_act,
  ); // [b, s, intermediate]
  const out = dropout(
    linear(inter, p(`${prefix}.output.dense.weight`), p(`${prefix}.output.dense.bias`)),
    config.hidden_dropout_prob,
    options.rng,
  ); // [b, s, hidden]
  const output = layerNorm(
    tf.add(out, att.output),
    p(`${prefix}.output.LayerNorm.weight`),
    p(`${prefix}.output.LayerNorm.bias`),
    config.layer_norm_eps,
  ) as tf.Tensor3D;
  return { output, probs: att.probs };
}
