import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend/mod.ts";
import { createBertTokenizer, loadAmazonSplits } from "../data/mod.ts";
import { createBertClassifier } from "../models/mod.ts";
import { exampleRepresentations, metaKdWeights } from "./meta_kd_weights.ts";

Deno.test("Meta-KD weights from a model: one per review, bounded, similarity", async () => {
  await initBackend();
  const tokenizer = await createBertTokenizer();
  const model = createBertClassifier({
    vocab_size: 30522,
    hidden_size: 32,
    num_hidden_layers: 1,
    num_attention_heads: 2,
    intermediate_size: 32,
    max_position_embeddings: 128,
    num_labels: 2,
  }, { seed: 1 });
  try {
    const books = (await loadAmazonSplits("books")).dev.slice(0, 24);
    const kitchen = (await loadAmazonSplits("kitchen")).dev.slice(0, 24);
    const before = tf.memory().numTensors;
    const reps = exampleRepresentations(model, books, tokenizer, 64);
    assert.equal(reps.length, 24);
    assert.ok(reps.every((r) => r.length === 32 && r.every(Number.isFinite)));
    const t = metaKdWeights(model, [books, kitchen], tokenizer, 64);
    assert.equal(tf.memory().numTensors, before, "no tensors left");
    assert.equal(t.weights.length, 48);
    assert.ok(t.weights.every((w) => w >= -1 && w <= 1));
    assert.deepEqual(t.domains.slice(22, 26), [0, 0, 1, 1]);
    assert.equal(t.similarity.length, 2);
    assert.ok(Math.abs(t.similarity[0][1] - t.similarity[1][0]) < 1e-12);
    // the same representation as the per-example pass (order is kept despite length bucketing)
    const single = exampleRepresentations(model, [books[5]], tokenizer, 64)[0];
    single.forEach((v, j) => assert.ok(Math.abs(v - reps[5][j]) < 1e-4));
  } finally {
    model.dispose();
  }
});
