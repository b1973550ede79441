/**
 * BERT masked-LM head (HF `BertOnlyMLMHead`): `cls.predictions.transform.{dense,LayerNorm}`,
 * activation `hidden_act`, then the decoder tied to the word embeddings
 * (`logits = h · Eᵀ + cls.predictions.bias`). Eᵀ is an explicit transpose (no matmul flags).
 */
import * as tf from "@tensorflow/tfjs";
import type { BertConfig } from "./config.ts";
import { activate, layerNorm, linear } from "./_ops.ts";
import type { Getter } from "./embeddings.ts";

/** h [..., hidden] -> logits [..., vocab]. */
export function mlmHead<T extends tf.Tensor>(p: Getter, config: BertConfig, h: T): T {
  const t = "cls.predictions.transform.";
  const x = layerNorm(
    activate(linear(h, p(t + "dense.weight"), p(t + "dense.bias")), config.hidden_act),
    p(t + "LayerNorm.weight"),
    p(t + "LayerNorm.bias"),
    config.layer_norm_eps,
  );
  const decoder = tf.transpose(p("bert.embeddings.word_embeddings.weight")); // [hidden, vocab]
  return linear(x, decoder, p("cls.predictions.bias"));
}
