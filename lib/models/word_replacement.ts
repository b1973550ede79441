/**
 * Word vectors from token distributions at some positions (MATE-KD, Rashid et al. 2021: the
 * generator's one-hot output is multiplied by each model's own word-embedding table, so
 * gradients reach the generator through teacher and student). One definition, used by every
 * model kind's embedding layer (BERT, searched students, BiLSTM).
 */
import * as tf from "@tensorflow/tfjs";
import { embeddingLookup } from "./_ops.ts";

/**
 * At flat positions `positions` (row * seqLen + col, distinct), the word vector is
 * `onehot[k] · table` instead of the lookup of the batch's input id; `onehot` is [P, vocab]
 * (one-hot in the forward pass for MATE-KD, any distribution works).
 */
export interface WordReplacement {
  positions: Int32Array;
  /** [P, vocab] token distributions (differentiable); or, when no gradient is needed, */
  onehot?: tf.Tensor2D;
  /** the tokens themselves (one id per position): a plain lookup, no [P, vocab] matmul. */
  ids?: Int32Array;
  /**
   * Added to every word vector afterwards: [batch * seq, E], E the word table's width (an
   * embedding-space adversarial perturbation, e.g. PGD / FreeLB); `positions` may then be empty.
   */
  delta?: tf.Tensor2D;
}

/** Checks a replacement against a batch of `rows` flat positions and a `vocab`-row table. */
export function checkWordReplacement(r: WordReplacement, rows: number, vocab: number): void {
  if (r.positions.length > 0 && (r.onehot === undefined) === (r.ids === undefined)) {
    throw new TypeError("wordReplacement: give exactly one of onehot and ids");
  }
  if (r.positions.length === 0) {
    // nothing replaced (a delta alone)
  } else if (r.onehot) {
    const [p, v] = r.onehot.shape;
    if (p !== r.positions.length || v !== vocab) {
      throw new RangeError(
        `wordReplacement: onehot has shape [${r.onehot.shape}], expected [${r.positions.length}, ` +
          `${vocab}] (one row per position, one column per vocabulary entry)`,
      );
    }
  } else if (
    r.ids!.length !== r.positions.length || r.ids!.some((id) => !(id >= 0 && id < vocab))
  ) {
    throw new RangeError(
      `wordReplacement: ids must hold one id in [0, ${vocab}) per position (${r.positions.length})`,
    );
  }
  const seen = new Set<number>();
  r.positions.forEach((q, k) => {
    if (!(q >= 0 && q < rows) || seen.has(q)) {
      throw new RangeError(
        `wordReplacement: positions[${k}] = ${q} is ${
          seen.has(q) ? "repeated" : `outside [0, ${rows})`
        }`,
      );
    }
    seen.add(q);
  });
}

/**
 * Word vectors [N, E] for flat `ids` [N] from `table` [vocab, E], with the replacement's rows
 * taken from `onehot · table`. Differentiable in the table and in `onehot`.
 */
export function wordVectors(
  table: tf.Tensor2D,
  ids: tf.Tensor1D,
  replacement?: WordReplacement,
): tf.Tensor2D {
  if (!replacement) return embeddingLookup(table, ids) as tf.Tensor2D; // [N, E]
  const n = ids.shape[0];
  checkWordReplacement(replacement, n, table.shape[0]);
  if (replacement.delta) {
    const d = replacement.delta;
    if (d.shape[0] !== n || d.shape[1] !== table.shape[1]) {
      throw new RangeError(
        `wordReplacement: delta has shape [${d.shape}], expected [${n}, ${table.shape[1]}]`,
      );
    }
    return tf.tidy(() =>
      tf.add(wordVectors(table, ids, { ...replacement, delta: undefined }), d)
    ) as tf.Tensor2D;
  }
  if (replacement.positions.length === 0) return embeddingLookup(table, ids) as tf.Tensor2D;
  if (replacement.ids) {
    const swapped = Int32Array.from(ids.dataSync());
    replacement.positions.forEach((q, k) => (swapped[q] = replacement.ids![k]));
    return tf.tidy(() => embeddingLookup(table, tf.tensor1d(swapped, "int32"))) as tf.Tensor2D;
  }
  const looked = embeddingLookup(table, ids) as tf.Tensor2D; // [N, E]
  return tf.tidy(() => {
    const mixed = tf.matMul(replacement.onehot!, table); // [P, E]
    const index = new Int32Array(n);
    for (let i = 0; i < n; i++) index[i] = i;
    replacement.positions.forEach((q, k) => (index[q] = n + k));
    return embeddingLookup(tf.concat([looked, mixed], 0), tf.tensor1d(index, "int32"));
  }) as tf.Tensor2D;
}

const WORD_TABLES = [
  "bert.embeddings.word_embeddings.weight", // BERT
  "embeddings.word.weight", // searched students
  "embedding.weight", // BiLSTM
];

/** A model's word table [vocab, E] (BERT, searched student, BiLSTM), or an error. */
export function wordTableOf(
  model: { params: Map<string, tf.Variable>; kind: string },
): tf.Variable {
  for (const name of WORD_TABLES) {
    const v = model.params.get(name);
    if (v && v.shape.length === 2) return v;
  }
  throw new TypeError(`wordTableOf: a ${model.kind} model without a known word table`);
}

/** The width E of a model's word table. */
export function wordTableWidth(model: { params: Map<string, tf.Variable>; kind: string }): number {
  return wordTableOf(model).shape[1]!;
}
