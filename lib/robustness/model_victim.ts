/**
 * A tfjs `Classifier` wrapped as a `Victim` (TextAttack's `ModelWrapper`): batched_victim.ts's
 * tokenisation, padding, batching and cache around the model's forward pass. This is the only
 * file of lib/robustness that imports TensorFlow.js.
 */
import * as tf from "@tensorflow/tfjs";
import type { Classifier } from "../models/mod.ts";
import {
  createBatchedVictim,
  type ModelVictim,
  type ModelVictimOptions,
  type VictimTokenizer,
} from "./batched_victim.ts";
import { MatrixEmbedding, type MatrixEmbeddingOptions } from "./embedding.ts";

/**
 * `createBatchedVictim` with the forward pass and softmax of a tfjs classifier (inside
 * `tf.tidy`, every intermediate disposed).
 */
export function createModelVictim(
  model: Classifier,
  tokenizer: VictimTokenizer,
  options: ModelVictimOptions = {},
): ModelVictim {
  return createBatchedVictim(model.numLabels, tokenizer, (batch) => {
    const probs = tf.tidy(() => tf.softmax(model.forward(batch, { training: false }).logits));
    try {
      const [rows, cols] = probs.shape;
      if (rows !== batch.batchSize || cols !== model.numLabels) {
        throw new RangeError(
          `createModelVictim: model returned logits of shape [${rows}, ${cols}] ` +
            `for ${batch.batchSize} inputs and ${model.numLabels} labels`,
        );
      }
      return probs.arraySync() as number[][];
    } finally {
      probs.dispose();
    }
  }, options);
}

/**
 * A `MatrixEmbedding` over a model's input embedding table (`[vocab, hidden]`) for
 * WordEmbeddingDistance, WordSwapEmbedding and the sentence-similarity stand-in.
 * `paramName` default "bert.embeddings.word_embeddings.weight".
 */
export function embeddingFromModel(
  model: Classifier,
  vocab: readonly string[],
  options: MatrixEmbeddingOptions & { paramName?: string } = {},
): MatrixEmbedding {
  const { paramName = "bert.embeddings.word_embeddings.weight", ...rest } = options;
  const v = model.params.get(paramName);
  if (!v) {
    throw new RangeError(
      `embeddingFromModel: no parameter "${paramName}"; embedding-like parameters: ${
        [...model.params.keys()].filter((k) => k.includes("embed")).join(", ") || "(none)"
      }`,
    );
  }
  if (v.shape.length !== 2 || v.shape[0] !== vocab.length) {
    throw new RangeError(
      `embeddingFromModel: "${paramName}" has shape [${v.shape}], ` +
        `expected [${vocab.length}, hidden]`,
    );
  }
  return new MatrixEmbedding(vocab, v.dataSync() as Float32Array, rest);
}
