import type * as tf from "@tensorflow/tfjs";
import type { EncodedBatch } from "../data/mod.ts";

/** What every classifier (teacher, KD baseline, searched student) returns from a forward pass. */
export interface ModelOutput {
  logits: tf.Tensor2D; // [batch, numLabels]
  /**
   * Hidden states: embeddings output first, then every layer's output.
   * Each [batch, seq, hidden].
   */
  hidden: tf.Tensor3D[];
  /** Attention probabilities of every attention layer, each [batch, heads, seq, seq] (if asked). */
  attentions?: tf.Tensor4D[];
}

export interface ForwardOptions {
  training?: boolean; // dropout on
  outputHidden?: boolean;
  outputAttentions?: boolean;
  /** Seed for dropout masks when training. */
  seed?: number;
  /**
   * Word vectors from token distributions at some positions (MATE-KD's generator output;
   * lib/models word_replacement.ts); every model kind supports it.
   */
  wordReplacement?: import("./word_replacement.ts").WordReplacement;
}

/**
 * A classifier whose trainable state is a flat map of named variables
 * (Hugging Face parameter names for the BERT family). Functional forward so that
 * distillation, attacks and the search treat every model alike.
 */
export interface Classifier {
  readonly kind: string; // "bert" | "bilstm" | "searched" | ...
  readonly config: Record<string, unknown>;
  readonly params: Map<string, import("@tensorflow/tfjs").Variable>;
  readonly numLabels: number;
  /** Runs the model on a batch. The caller owns (and disposes) the returned tensors. */
  forward(batch: EncodedBatch, options?: ForwardOptions): ModelOutput;
  /** Parameters counted for size (excludes training-only projections). */
  countParams(): number;
  dispose(): void;
}
