/** The BERT encoder: embeddings followed by `num_hidden_layers` layers. */
import type * as tf from "@tensorflow/tfjs";
import type { WordReplacement } from "./word_replacement.ts";
import type { EncodedBatch } from "../data/mod.ts";
import type { Prng } from "../random/mod.ts";
import type { BertConfig } from "./config.ts";
import { additiveMask } from "./attention.ts";
import { bertEmbeddings, type Getter } from "./embeddings.ts";
import { bertLayer } from "./layer.ts";

export interface EncoderOutput {
  /** Last layer output [b, s, hidden]. */
  last: tf.Tensor3D;
  /** Embedding output then each layer's output (all of them; callers pick). */
  hidden: tf.Tensor3D[];
  attentions: tf.Tensor4D[];
}

export function bertEncoder(
  p: Getter,
  config: BertConfig,
  batch: EncodedBatch,
  options: {
    inputsEmbeds?: tf.Tensor3D;
    wordReplacement?: WordReplacement;
    rng: Prng | null;
    wantProbs: boolean;
  },
): EncoderOutput {
  const maskAdd = additiveMask(batch.attentionMask, batch.batchSize, batch.seqLen);
  let x = bertEmbeddings(p, config, batch, options); // [b, s, h]
  const hidden = [x];
  const attentions: tf.Tensor4D[] = [];
  for (let i = 0; i < config.num_hidden_layers; i++) {
    const r = bertLayer(p, i, config, x, maskAdd, options);
    x = r.output;
    hidden.push(x);
    if (r.probs) attentions.push(r.probs);
  }
  return { last: x, hidden, attentions };
}
