import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend/mod.ts";
import { createBertClassifier, saveCheckpoint } from "../models/mod.ts";
import { Prng } from "../random/mod.ts";
import { countParams, createSearchSpace, sampleGenome } from "../search_space/mod.ts";
import { prepareTeacher } from "./teacher.ts";
import { evaluateCandidate } from "./evaluate_candidate.ts";
import { type EvalSettings, MAX_POSITIONS, VOCAB_SIZE } from "./settings.ts";

/** Tiny settings: 64 proxy examples (2 steps), 32 validation, deepwordbug on 3 examples. */
const settings: EvalSettings = {
  dataset: "sst2",
  heldOut: { size: 2000, seed: 13 },
  proxy: { size: 64, seed: 1 },
  validation: { size: 32, seed: 2 },
  attack: { recipe: "deepwordbug", examples: 3, queryBudget: 20 },
  train: {
    epochs: 1,
    batchSize: 32,
    maxLength: 48,
    learningRate: 2e-3,
    objective: { kl: { weight: 0.5, temperature: 2 }, ce: { weight: 0.5 } },
  },
  latency: { batchSize: 8, seqLen: 32, repeats: 2, warmup: 1 },
};

Deno.test({
  name: "evaluateCandidate: metrics in range, size matches the genome, no tensor leak, repeatable",
  sanitizeResources: false,
  async fn() {
    await initBackend();
    const dir = await Deno.makeTempDir({ prefix: "rosearch_eval_" });
    const teacher = createBertClassifier({
      vocab_size: VOCAB_SIZE,
      hidden_size: 64,
      num_hidden_layers: 1,
      num_attention_heads: 2,
      intermediate_size: 64,
      max_position_embeddings: MAX_POSITIONS,
      num_labels: 2,
    }, { seed: 2 });
    await saveCheckpoint(teacher, `${dir}/classifier`);
    teacher.dispose();
    const prep = await prepareTeacher(`${dir}/classifier`, settings);
    try {
      const genome = sampleGenome(createSearchSpace({ maxCells: 2 }), Prng.fromSeed(4));
      const task = {
        genome,
        seed: 5,
        settings,
        teacher: { dir: `${dir}/classifier`, params: prep.info.params, latencyMs: 1 },
        caches: prep.caches,
      };
      const r1 = await evaluateCandidate(task);
      const before = tf.memory().numTensors;
      const r2 = await evaluateCandidate(task);
      assert.equal(tf.memory().numTensors, before);
      assert.equal(r1.leakedTensors, 0);
      assert.equal(r2.leakedTensors, 0);
      assert.equal(
        r1.params,
        countParams(genome, { vocabSize: VOCAB_SIZE, maxPositions: MAX_POSITIONS, numLabels: 2 }),
      );
      assert.equal(r1.compression, prep.info.params / r1.params);
      for (const v of [r1.cleanAccuracy, r1.robustness, r1.teacherAgreement]) {
        assert.ok(v >= 0 && v <= 1, `${v}`);
      }
      assert.ok(r1.robustness <= r1.attack.originalAccuracy / 100 + 1e-12);
      assert.equal(r1.attack.total, 3);
      assert.equal(r1.train.steps, 2); // 64 examples, batch 32, one epoch
      assert.equal(r1.cleanAccuracy, r2.cleanAccuracy);
      assert.equal(r1.robustness, r2.robustness);
      assert.equal(r1.architectureStats.params, r1.params);
      assert.ok(r1.latencyMs > 0);
      assert.equal(r1.attack.outcomes.length, 3);
      assert.equal(r1.racing, undefined);

      // racing: the first 3 examples, then steps of 2 up to 7 while the interval can reach the
      // top 2; an unbeatable threshold stops it after the first step
      const raced = {
        ...settings,
        attack: { ...settings.attack, racing: { step: 2, cap: 7, topK: 2 } },
        fitness: { name: "rosearch", options: { wAcc: 1, wRob: 1, targetRatio: 5, lambda: 1 } },
      };
      const open = await evaluateCandidate({ ...task, settings: raced });
      assert.deepEqual(open.racing!.steps, [3, 5, 7]);
      assert.equal(open.attack.outcomes.length, 7);
      assert.equal(open.attack.total, 7);
      assert.match(open.attack.outcomes, /^[SFQK]{7}$/);
      const f = open.fitnessInterval!;
      assert.ok(f.lower <= f.estimate && f.estimate <= f.upper);
      const hopeless = await evaluateCandidate({ ...task, settings: raced, threshold: 99 });
      assert.deepEqual(hopeless.racing!.steps, [3]);
      assert.equal(hopeless.racing!.stopped, "cannot reach the top-k");
      assert.equal(
        hopeless.attack.outcomes,
        open.attack.outcomes.slice(0, 3),
        "same list, same start",
      );
    } finally {
      for (const c of Object.values(prep.caches)) {
        await Deno.remove(`${c.root}/${c.key}`, { recursive: true }).catch(() => {});
      }
      await Deno.remove(dir, { recursive: true });
    }
  },
});
