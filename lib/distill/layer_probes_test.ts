import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { createBertTokenizer, type Example } from "../data/mod.ts";
import { createBertClassifier } from "../models/mod.ts";
import { trainLayerProbes } from "./layer_probes.ts";
import { setupBackend } from "./_test_data.ts";

Deno.test("layer probes: one per teacher layer, logits in the documented layout", async () => {
  await setupBackend();
  const teacher = createBertClassifier({
    vocab_size: 30522,
    hidden_size: 32,
    num_hidden_layers: 2,
    num_attention_heads: 2,
    intermediate_size: 32,
    max_position_embeddings: 64,
    num_labels: 3,
  }, { seed: 2 });
  // the label is which word the sentence holds: linearly separable in any layer's mean state
  const words = ["cat", "river", "music"];
  const ex = (i: number): Example => ({ text: `the ${words[i % 3]} is here ${i}`, label: i % 3 });
  const train = Array.from({ length: 60 }, (_, i) => ex(i));
  const heldOut = Array.from({ length: 12 }, (_, i) => ex(100 + i));
  const before = tf.memory().numTensors;
  const p = trainLayerProbes(teacher, train, heldOut, await createBertTokenizer(), {
    maxLength: 16,
    epochs: 20,
    learningRate: 0.05,
    seed: 1,
  });
  assert.equal(tf.memory().numTensors - before, 0, "features and probes disposed");
  assert.equal(p.layers, 2);
  assert.equal(p.logits.length, 72 * 2 * 3);
  assert.ok(p.trainAccuracy.every((a) => a > 0.9), `train ${p.trainAccuracy}`);
  assert.ok(p.heldOutAccuracy.every((a) => a > 0.9), `held out ${p.heldOutAccuracy}`);
  // example 61 (the second held-out one, ex(101): label 2): its layer-2 probe prefers label 2
  const at = (i: number, l: number) => [...p.logits.slice((i * 2 + l - 1) * 3, (i * 2 + l) * 3)];
  const row = at(61, 2);
  assert.equal(row.indexOf(Math.max(...row)), 2);
  teacher.dispose();
});
