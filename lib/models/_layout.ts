/**
 * Internal vs Hugging Face / PyTorch tensor layouts.
 *
 * Internally every linear weight is stored [in, out] so a forward is `x · W` with no transpose
 * (wasm matmul with transpose flags is ~10x slower). PyTorch `nn.Linear.weight` and `nn.LSTM`
 * `weight_ih_l*`/`weight_hh_l*` are [out, in]. Embedding tables ([vocab, dim]), LayerNorm
 * parameters and biases have the same layout in both. Conversion happens only at import/export.
 */
import * as tf from "@tensorflow/tfjs";

/** True when `name` is stored transposed internally relative to its HF/PyTorch layout. */
export function isTransposedParam(name: string): boolean {
  if (/^(.*\.)?lstm\.weight_(ih|hh)_l\d+(_reverse)?$/.test(name)) return true;
  if (!name.endsWith(".weight")) return false;
  // The factorised BERT word table's projection is an nn.Linear. Every other name with
  // "embedding" keeps its stored layout (BERT's tables, the BiLSTM's table, and the searched
  // students' `embeddings.*` tensors, whose checkpoints were written that way).
  if (name.endsWith("word_embeddings_projection.weight")) return true;
  return !name.includes("LayerNorm") && !name.includes("embedding");
}

/** Internal tensor -> external (HF) layout. Returns a new tensor. */
export function toExternal(name: string, t: tf.Tensor): tf.Tensor {
  return isTransposedParam(name) && t.rank === 2 ? tf.transpose(t) : t.clone();
}

/** External (HF) layout -> internal. Returns a new tensor. */
export function toInternal(name: string, t: tf.Tensor): tf.Tensor {
  return isTransposedParam(name) && t.rank === 2 ? tf.transpose(t) : t.clone();
}

/** The external shape of an internal shape. */
export function externalShape(name: string, shape: number[]): number[] {
  return isTransposedParam(name) && shape.length === 2 ? [shape[1], shape[0]] : [...shape];
}
