import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend/mod.ts";
import { loadSplit } from "../data/mod.ts";
import { createBertClassifier, createBertForMaskedLM, saveCheckpoint } from "../models/mod.ts";
import { defaultTeacherDir } from "../project/mod.ts";
import { Prng } from "../random/mod.ts";
import { createSearchSpace, sampleGenome } from "../search_space/mod.ts";
import { buildStudent } from "../search_space/tfjs.ts";
import { trainStudent } from "./evaluate_candidate.ts";
import { checkKdMode, kdAugmenter } from "./kd_mode.ts";
import { type EvalSettings, MAX_POSITIONS, VOCAB_SIZE } from "./settings.ts";

const bert = (_seed: number) => ({
  vocab_size: VOCAB_SIZE,
  hidden_size: 32,
  num_hidden_layers: 1,
  num_attention_heads: 2,
  intermediate_size: 32,
  max_position_embeddings: MAX_POSITIONS,
  num_labels: 2,
});

const settings = (kd?: EvalSettings["train"]["kd"]): EvalSettings => ({
  dataset: "sst2",
  heldOut: { size: 2000, seed: 13 },
  proxy: { size: 64, seed: 1 },
  validation: { size: 32, seed: 2 },
  attack: { recipe: "deepwordbug", examples: 3, queryBudget: 20 },
  train: {
    epochs: 1,
    batchSize: 16,
    maxLength: 32,
    learningRate: 2e-3,
    objective: { kl: { weight: 0.5, temperature: 2 }, ce: { weight: 0.5 } },
    ...(kd ? { kd } : {}),
  },
  latency: { batchSize: 8, seqLen: 32, repeats: 2, warmup: 1 },
});

Deno.test("kd modes: unknown modes and mate without a masked LM fail clearly", async () => {
  assert.throws(
    () => checkKdMode("freelb", "--kd"),
    /--kd: unknown KD mode "freelb"; allowed: plain, random-token, embedding-pgd, mate/,
  );
  assert.equal(checkKdMode("mate"), "mate");
  assert.equal(
    await kdAugmenter("plain", { teacherDir: "x", studentLearningRate: 1, seed: 0 }),
    null,
  );
  await assert.rejects(
    kdAugmenter("mate", { teacherDir: defaultTeacherDir("mrpc"), studentLearningRate: 1, seed: 0 }),
    /kd "mate" needs the teacher's masked LM for its generator; none in .*mlm/,
  );
});

Deno.test({
  name: "kd modes: trainStudent adds the perturbation term from the live teacher, no tensor growth",
  sanitizeResources: false,
  async fn() {
    await initBackend();
    const dir = await Deno.makeTempDir({ prefix: "rosearch_kd_" });
    try {
      const teacher = createBertClassifier(bert(2), { seed: 2 });
      await saveCheckpoint(teacher, `${dir}/classifier`);
      teacher.dispose();
      const mlm = createBertForMaskedLM(bert(3), { seed: 3 });
      await saveCheckpoint(mlm, `${dir}/mlm`);
      mlm.dispose();
      const examples = (await loadSplit("sst2", "train")).slice(0, 32);
      const genome = sampleGenome(createSearchSpace({ maxCells: 2 }), Prng.fromSeed(4));
      const run = async (kd: EvalSettings["train"]["kd"]) => {
        const student = buildStudent(genome, {
          vocabSize: VOCAB_SIZE,
          maxPositions: MAX_POSITIONS,
          seed: 5,
        });
        try {
          const before = tf.memory().numTensors;
          const summary = await trainStudent(student, examples, null as never, settings(kd), {
            seed: 5,
            teacherDir: `${dir}/classifier`,
          });
          assert.equal(tf.memory().numTensors, before, `kd ${kd}: tensors left behind`);
          return summary;
        } finally {
          student.dispose();
        }
      };
      for (const kd of ["random-token", "embedding-pgd", "mate"] as const) {
        const s = await run(kd);
        assert.equal(s.steps, 2);
        for (const point of s.lossCurve) {
          assert.ok(Number.isFinite(point.parts.adversarial), `kd ${kd}: no adversarial part`);
        }
      }
      const student = buildStudent(genome, {
        vocabSize: VOCAB_SIZE,
        maxPositions: MAX_POSITIONS,
        seed: 5,
      });
      await assert.rejects(
        trainStudent(student, examples, null as never, settings("mate"), { seed: 5 }),
        /settings\.train\.kd "mate" needs options\.teacherDir/,
      );
      student.dispose();
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
