/**
 * Tiny BERT teacher → tiny BERT student with hidden-state and attention matching (TinyBERT
 * style), through lib/models' `createBertClassifier`. Skipped while lib/models has not
 * published it yet.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { distill } from "./distill.ts";
import { uniformLayerMap } from "./objective.ts";
import { encodeBatches, loadSst2Dev, setupBackend } from "./_test_data.ts";
import type { Classifier } from "../models/mod.ts";

type CreateBert = (config: Record<string, unknown>, options?: { seed?: number }) => Classifier;

async function findCreateBert(): Promise<CreateBert | null> {
  for (const file of ["../models/mod.ts", "../models/bert.ts"]) {
    const url = new URL(file, import.meta.url);
    try {
      Deno.statSync(url);
    } catch {
      continue;
    }
    const mod = await import(url.href);
    if (typeof mod.createBertClassifier === "function") {
      return mod.createBertClassifier as CreateBert;
    }
  }
  return null;
}

const createBert = await findCreateBert();

Deno.test({
  name: "distill: tiny BERT teacher → tiny BERT student, hidden + attention matching",
  ignore: createBert === null,
  fn: async () => {
    await setupBackend();
    const examples = loadSst2Dev(96);
    const train = encodeBatches(examples, { batchSize: 32, vocabSize: 64, maxLength: 16 });
    const base = {
      vocab_size: 64,
      max_position_embeddings: 32,
      num_labels: 2,
      initializer_range: 0.2,
    };
    const teacher = createBert!({
      ...base,
      hidden_size: 16,
      num_hidden_layers: 2,
      num_attention_heads: 2,
      intermediate_size: 32,
    }, { seed: 1 });
    const student = createBert!({
      ...base,
      hidden_size: 8,
      num_hidden_layers: 1,
      num_attention_heads: 1,
      intermediate_size: 16,
    }, { seed: 2 });
    try {
      const size = student.countParams();
      const tensors = tf.memory().numTensors;
      const counts: number[] = [];
      const parts: Record<string, number>[] = [];
      // Attention probabilities differ by ~1e-3 in MSE; weight 100 makes that term count.
      const layers = [
        ...uniformLayerMap(2, 1, { features: ["hidden"] }),
        ...uniformLayerMap(2, 1, { features: ["attention"], weight: 100 }),
      ];
      const summary = await distill(teacher, student, { train }, {
        objective: { kl: { weight: 1, temperature: 1 }, layers },
        epochs: 10,
        learningRate: 1e-2,
        seed: 7,
        onProgress: (p) => {
          counts.push(tf.memory().numTensors);
          parts.push(p.parts);
        },
      });
      console.log(`tiny BERT 2×16 → 1×8: ${summary}`);
      assert.deepEqual(summary.partNames, [
        "kl",
        "layers[0]:hidden 0→0 mse",
        "layers[1]:hidden 1→2 mse",
        "layers[2]:attention 1→2 mse",
      ]);
      assert.equal(summary.projectionParams, 2 * (8 * 16 + 16));
      assert.equal(student.countParams(), size);
      assert.deepEqual(
        new Set(counts.slice(1)),
        new Set([counts[1]]),
        `numTensors per step: ${counts.join(",")}`,
      );
      assert.equal(tf.memory().numTensors, tensors);
      const mean = (rows: Record<string, number>[], k: string) =>
        rows.reduce((a, r) => a + r[k], 0) / rows.length;
      for (const name of summary.partNames) {
        const first = mean(parts.slice(0, 3), name), last = mean(parts.slice(-3), name);
        assert.ok(last < first, `${name}: ${first} → ${last}`);
      }
    } finally {
      teacher.dispose();
      student.dispose();
    }
  },
});
