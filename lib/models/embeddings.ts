/**
 * BERT input embeddings (Devlin et al. 2019): word + absolute position + token type, then
 * LayerNorm and dropout. Parameters under `bert.embeddings.*` (HF names).
 */
import * as tf from "@tensorflow/tfjs";
import { type WordReplacement, wordVectors } from "./word_replacement.ts";
import type { EncodedBatch } from "../data/mod.ts";
import type { Prng } from "../random/mod.ts";
import { type BertConfig, isFactorised, wordEmbeddingSize } from "./config.ts";
import { dropout, embeddingLookup, layerNorm, linear } from "./_ops.ts";

export type Getter = (name: string) => tf.Variable;

/** Checks a batch against the config before any kernel sees it (out-of-range ids read garbage). */
export function checkBatch(batch: EncodedBatch, config: BertConfig, what = "BERT"): void {
  const { batchSize, seqLen } = batch;
  const n = batchSize * seqLen;
  if (!Number.isInteger(batchSize) || batchSize < 1 || !Number.isInteger(seqLen) || seqLen < 1) {
    throw new RangeError(
      `${what}: batch needs batchSize >= 1 and seqLen >= 1, got ${batchSize} x ${seqLen}`,
    );
  }
  for (
    const [key, arr] of [["inputIds", batch.inputIds], ["tokenTypeIds", batch.tokenTypeIds], [
      "attentionMask",
      batch.attentionMask,
    ]] as const
  ) {
    if (arr.length !== n) {
      throw new RangeError(
        `${what}: batch.${key} has ${arr.length} entries, expected ${batchSize} x ${seqLen} = ${n}`,
      );
    }
  }
  if (seqLen > config.max_position_embeddings) {
    throw new RangeError(
      `${what}: seqLen ${seqLen} exceeds max_position_embeddings ${config.max_position_embeddings}`,
    );
  }
  for (let i = 0; i < n; i++) {
    const id = batch.inputIds[i], tt = batch.tokenTypeIds[i];
    if (id < 0 || id >= config.vocab_size) {
      throw new RangeError(
        `${what}: inputIds[${i}] = ${id} (row ${
          Math.floor(i / seqLen)
        }) is outside [0, ${config.vocab_size})`,
      );
    }
    if (tt < 0 || tt >= config.type_vocab_size) {
      throw new RangeError(
        `${what}: tokenTypeIds[${i}] = ${tt} is outside [0, ${config.type_vocab_size})`,
      );
    }
  }
}

/**
 * Embedding output [batch, seq, hidden]. `inputsEmbeds` ([batch, seq, E], E the word-table width:
 * hidden, or embedding_size when factorised) replaces the word lookup (e.g. MATE-KD's
 * one-hot · E); position and token-type embeddings are still added.
 */
export function bertEmbeddings(
  p: Getter,
  config: BertConfig,
  batch: EncodedBatch,
  options: { inputsEmbeds?: tf.Tensor3D; wordReplacement?: WordReplacement; rng: Prng | null },
): tf.Tensor3D {
  const { batchSize: b, seqLen: s } = batch;
  const h = config.hidden_size, e = wordEmbeddingSize(config);
  let words: tf.Tensor3D; // [b, s, e]
  if (options.inputsEmbeds) {
    const shape = options.inputsEmbeds.shape;
    if (shape[0] !== b || shape[1] !== s || shape[2] !== e) {
      throw new RangeError(
        `BERT embeddings: inputsEmbeds has shape [${shape}], expected [${b}, ${s}, ${e}]`,
      );
    }
    words = options.inputsEmbeds;
  } else {
    const ids = tf.tensor1d(batch.inputIds, "int32"); // [b*s]
    const table = p("bert.embeddings.word_embeddings.weight") as tf.Tensor2D;
    words = tf.reshape(wordVectors(table, ids, options.wordReplacement), [b, s, e]);
  }
  if (isFactorised(config)) {
    const w = "bert.embeddings.word_embeddings_projection";
    words = linear(words, p(`${w}.weight`), p(`${w}.bias`)) as tf.Tensor3D; // [b, s, h]
  }
  const types = tf.tensor1d(batch.tokenTypeIds, "int32");
  const typeEmb = tf.reshape(
    embeddingLookup(p("bert.embeddings.token_type_embeddings.weight"), types),
    [b, s, h],
  );
  const pos = tf.slice(p("bert.embeddings.position_embeddings.weight"), [0, 0], [s, h]); // [s, h]
  const sum = tf.add(tf.add(words, typeEmb), pos); // [b, s, h]
  const normed = layerNorm(
    sum as tf.Tensor3D,
    p("bert.embeddings.LayerNorm.weight"),
    p("bert.embeddings.LayerNorm.bias"),
    config.layer_norm_eps,
  );
  return dropout(normed, config.hidden_dropout_prob, options.rng);
}
