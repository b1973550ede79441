import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import type { EncodedBatch } from "../data/mod.ts";
import { createBertClassifier } from "./bert.ts";
import { createBiLstmClassifier } from "./bilstm.ts";
import type { Classifier } from "./types.ts";
import { wordTableWidth } from "./word_replacement.ts";
import { testBackend } from "./_test_backend.ts";

await testBackend();

const V = 40;
const batch: EncodedBatch = {
  batchSize: 2,
  seqLen: 5,
  inputIds: Int32Array.from([1, 5, 6, 7, 2, 1, 8, 9, 2, 0]),
  tokenTypeIds: new Int32Array(10),
  attentionMask: Int32Array.from([1, 1, 1, 1, 1, 1, 1, 1, 1, 0]),
  labels: Int32Array.from([0, 1]),
  indices: [0, 1],
};

/** Logits with positions 2 and 7 given by one-hot rows of ids 11 and 12, vs those ids put in. */
function check(model: Classifier) {
  const positions = Int32Array.from([2, 7]);
  const onehot = tf.oneHot(tf.tensor1d([11, 12], "int32"), V).toFloat() as tf.Tensor2D;
  const viaOnehot = model.forward(batch, { wordReplacement: { positions, onehot } }).logits;
  const ids = Int32Array.from(batch.inputIds);
  ids[2] = 11;
  ids[7] = 12;
  const direct = model.forward({ ...batch, inputIds: ids }).logits;
  const viaIds = model.forward(batch, {
    wordReplacement: { positions, ids: Int32Array.from([11, 12]) },
  }).logits;
  const a = viaOnehot.dataSync(), b = direct.dataSync(), c = viaIds.dataSync();
  a.forEach((x, i) => assert.ok(Math.abs(x - b[i]) < 1e-5, `${model.kind}: ${x} vs ${b[i]}`));
  c.forEach((x, i) => assert.ok(Math.abs(x - b[i]) < 1e-6, `${model.kind} (ids): ${x} vs ${b[i]}`));
  viaIds.dispose();
  // the gradient reaches the one-hot rows
  const g = tf.grad((o: tf.Tensor) =>
    tf.sum(
      model.forward(batch, { wordReplacement: { positions, onehot: o as tf.Tensor2D } }).logits,
    )
  )(onehot);
  assert.ok(g.abs().sum().dataSync()[0] > 0, `${model.kind}: gradient to the one-hot`);
  // a zero delta changes nothing; the gradient reaches a delta
  const e = wordTableWidth(model);
  const zero = tf.zeros([10, e]) as tf.Tensor2D;
  const clean = model.forward(batch).logits;
  const viaDelta = model.forward(batch, {
    wordReplacement: { positions: new Int32Array(0), delta: zero },
  }).logits;
  const c0 = clean.dataSync(), c1 = viaDelta.dataSync();
  c0.forEach((x, i) => assert.ok(Math.abs(x - c1[i]) < 1e-6, `${model.kind} (delta 0)`));
  const gd = tf.grad((d: tf.Tensor) =>
    tf.sum(
      model.forward(batch, {
        wordReplacement: { positions: new Int32Array(0), delta: d as tf.Tensor2D },
      }).logits,
    )
  )(zero);
  assert.ok(gd.abs().sum().dataSync()[0] > 0, `${model.kind}: gradient to the delta`);
  tf.dispose([zero, clean, viaDelta, gd]);
  assert.throws(
    () => model.forward(batch, { wordReplacement: { positions: Int32Array.from([2, 2]), onehot } }),
    /repeated/,
  );
  tf.dispose([onehot, viaOnehot, direct, g]);
}

Deno.test("wordReplacement: one-hot rows x word table = those ids, every kind", () => {
  const base = {
    vocab_size: V,
    num_hidden_layers: 1,
    num_attention_heads: 2,
    intermediate_size: 32,
    max_position_embeddings: 16,
  };
  for (
    const m of [
      createBertClassifier({ ...base, hidden_size: 16 }, { seed: 1 }),
      // factorised
      createBertClassifier({ ...base, hidden_size: 16, embedding_size: 8 }, { seed: 2 }),
      createBiLstmClassifier({ vocab_size: V, embedding_dim: 8, hidden_size: 6, fc_hidden: 8 }, {
        seed: 3,
      }),
    ]
  ) {
    check(m);
    m.dispose();
  }
});
