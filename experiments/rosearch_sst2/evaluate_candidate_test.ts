import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../lib/backend/mod.ts";
import { createBertClassifier, saveCheckpoint } from "../../lib/models/mod.ts";
import { Prng } from "../../lib/random/mod.ts";
import { countParams, createSearchSpace, sampleGenome } from "../../lib/search_space/mod.ts";
import { preset } from "./config.ts";
import { prepareTeacher } from "./teacher.ts";
import { evaluateCandidate, MAX_POSITIONS, VOCAB_SIZE } from "./evaluate_candidate.ts";

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
    const settings = preset("quick").eval;
    settings.proxy.size = 64;
    settings.validation.size = 32;
    settings.attack = { recipe: "deepwordbug", examples: 3, queryBudget: 20 };
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
    } finally {
      for (const c of Object.values(prep.caches)) {
        await Deno.remove(`${c.root}/${c.key}`, { recursive: true }).catch(() => {});
      }
      await Deno.remove(dir, { recursive: true });
    }
  },
});
