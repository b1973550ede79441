import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { bucketBatches, createBertTokenizer, type Example } from "../data/mod.ts";
import { createBertClassifier } from "../models/mod.ts";
import { distill } from "./distill.ts";
import { type L2aCandidate, l2aCurriculum, type L2aCurriculumOptions } from "./l2a.ts";
import { setupBackend } from "./_test_data.ts";

const bert = (seed: number) =>
  createBertClassifier({
    vocab_size: 30522,
    hidden_size: 16,
    num_hidden_layers: 1,
    num_attention_heads: 2,
    intermediate_size: 16,
    max_position_embeddings: 32,
    num_labels: 2,
  }, { seed });

const good = ["great", "lovely", "superb"], bad = ["awful", "dull", "boring"];
const ex = (i: number, tag = ""): Example => ({
  text: `the film is ${(i % 2 ? good : bad)[i % 3]} ${tag}`.trim(),
  label: i % 2,
});

async function setup(overrides: Partial<L2aCurriculumOptions> = {}) {
  await setupBackend();
  const tokenizer = await createBertTokenizer();
  const teacher = bert(1), student = bert(2);
  const cand = (i: number, domain: "source" | "target"): L2aCandidate => ({
    ...ex(i, domain === "source" ? "indeed" : "really"),
    domain,
    rewritten: i % 3 === 0,
  });
  const o: L2aCurriculumOptions = {
    target: Array.from({ length: 10 }, (_, i) => ex(i)),
    pools: {
      target: Array.from({ length: 30 }, (_, i) => cand(i, "target")),
      source: Array.from({ length: 30 }, (_, i) => cand(i, "source")),
    },
    dev: bucketBatches(Array.from({ length: 12 }, (_, i) => ex(i + 50)), tokenizer, {
      batchSize: 8,
      maxLength: 16,
      shuffle: false,
    }),
    teacher,
    student,
    tokenizer,
    maxLength: 16,
    batchSize: 4,
    stepsPerRound: 2,
    augmentedShare: 0.5,
    selector: "reinforce",
    seed: 3,
    ...overrides,
  };
  return {
    o,
    dispose: () => tf.dispose([teacher, student].flatMap((m) => [...m.params.values()])),
  };
}

Deno.test("L2A curriculum: stepsPerRound batches a round, selector, mixing learn", async () => {
  const { o, dispose } = await setup();
  const c = l2aCurriculum(o);
  const before = tf.memory().numTensors;
  const sizes: number[] = [];
  const s = await distill(o.teacher, o.student, {
    train: (e, p) => {
      const b = c.train(e, p);
      sizes.push(b.length, ...b.map((x) => x.batchSize));
      return b;
    },
  }, { objective: { softCE: { weight: 1, temperature: 1 } }, epochs: 4, seed: 1 });
  assert.equal(s.steps, 8);
  assert.deepEqual(sizes, Array(4).fill([2, 4, 4]).flat());
  assert.equal(c.history.length, 4);
  assert.equal(c.history[0].reward, null);
  assert.ok(c.history.slice(1).every((h) => Number.isFinite(h.reward)));
  assert.ok(
    c.history.every((h) => h.candidates === 8 && h.used <= 4 && h.used === Math.min(4, h.kept)),
  );
  assert.equal(c.selectorState()!.updates, 3);
  const f = c.finalDev();
  assert.ok(f.devAccuracy >= 0 && f.devAccuracy <= 1 && f.devLogLik < 0);
  assert.ok(c.lastUsed.every((x) => x.domain === "target" || x.domain === "source"));
  assert.equal(tf.memory().numTensors, before, "no tensor left behind");
  // the same seed gives the same rounds
  const { o: o2, dispose: d2 } = await setup();
  const c2 = l2aCurriculum(o2);
  await distill(o2.teacher, o2.student, { train: c2.train }, {
    objective: { softCE: { weight: 1, temperature: 1 } },
    epochs: 4,
    seed: 1,
  });
  assert.deepEqual(c2.history, c.history);
  dispose();
  d2();
});

Deno.test("L2A curriculum: baselines (random slots, target only) and bad input", async () => {
  const { o, dispose } = await setup({ selector: "none", pools: { target: [], source: [] } });
  assert.throws(() => l2aCurriculum(o), /both candidate pools are empty/);
  const only = l2aCurriculum({ ...o, augmentedShare: 0 });
  const b = only.train(0, (await import("../random/mod.ts")).Prng.fromSeed(1));
  assert.equal(b.length, 2);
  assert.equal(only.history[0].used, 0);
  const none = l2aCurriculum({
    ...o,
    pools: { target: [{ ...ex(1), domain: "target", rewritten: true }], source: [] },
  });
  none.train(0, (await import("../random/mod.ts")).Prng.fromSeed(1));
  assert.equal(none.history[0].used, 4);
  assert.equal(none.history[0].usedTarget, 1);
  assert.equal(none.history[0].mixing, 1, "no source pool: lambda fixed at 1");
  assert.throws(() => l2aCurriculum({ ...o, augmentedShare: 0, dev: [] }), /dev batches/);
  dispose();
});
