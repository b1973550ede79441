import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend/mod.ts";
import { createBertTokenizer } from "../data/mod.ts";
import type { EncodedBatch } from "../data/mod.ts";
import { createBertForMaskedLM } from "../models/mod.ts";
import { createModelMaskedLM, type MlmTokenizer } from "./model_mlm.ts";
import { AttackedText } from "./attacked_text.ts";
import { WordSwapMaskedLM } from "./transformations/word_swap_masked_lm.ts";

await initBackend({ prefer: "wasm" });

// ---- a fake MLM over a 12-token vocabulary -------------------------------------------------
const VOCAB = [
  "[PAD]",
  "[UNK]",
  "[CLS]",
  "[SEP]",
  "[MASK]",
  "##ing",
  "good",
  "bad",
  "film",
  "the",
  "!",
  "[unused0]",
];
const fakeTokenizer: MlmTokenizer = {
  vocabSize: VOCAB.length,
  specialIds: { pad: 0, cls: 2, sep: 3, mask: 4 },
  tokenizeIds: (text) =>
    text.split(/\s+/).filter(Boolean).map((w) => Math.max(1, VOCAB.indexOf(w))),
  idToToken: (id) => VOCAB[id],
};

/**
 * Logits at a position: the token to the left of the mask gets +4, "##ing" +9, "[unused0]" +8,
 * "!" +7 (non-candidates must be skipped although they score highest), "bad" +1. Also records
 * the batch shapes it saw.
 */
function fakeModel(seen: { rows: number; seqLen: number }[]) {
  return {
    mlmLogitsAt(batch: EncodedBatch, positions: ArrayLike<number>): tf.Tensor2D {
      seen.push({ rows: batch.batchSize, seqLen: batch.seqLen });
      const n = positions.length, v = VOCAB.length;
      const data = new Float32Array(n * v);
      for (let i = 0; i < n; i++) {
        const p = positions[i];
        assert.equal(batch.inputIds[p], 4, "position must point at the mask");
        data[i * v + batch.inputIds[p - 1]] += 4;
        data[i * v + 5] += 9;
        data[i * v + 11] += 8;
        data[i * v + 10] += 7;
        data[i * v + 7] += 1;
      }
      return tf.tensor2d(data, [n, v]);
    },
  };
}

Deno.test(
  "createModelMaskedLM (fake model): positions, " +
    "whole words only, k, sorting, cache",
  async () => {
    const seen: { rows: number; seqLen: number }[] = [];
    const mlm = createModelMaskedLM(fakeModel(seen), fakeTokenizer, { batchSize: 2 });
    const texts = [
      "the good film the [MASK]", // left: the
      "[MASK] film", // left: [CLS]
      "good [MASK] film film film", // left: good
      "film [MASK]", // left: film
      "the good film the [MASK]", // duplicate of the first
    ];
    const out = await mlm.topK(texts, 3);
    assert.equal(out.length, 5);
    for (const preds of out) {
      assert.equal(preds.length, 3);
      for (const p of preds) {
        assert.ok(!p.token.startsWith("##") && !/^\[.*\]$/.test(p.token) && p.token !== "!");
      }
      for (let j = 1; j < preds.length; j++) assert.ok(preds[j - 1].prob >= preds[j].prob);
      const total = preds.reduce((a, p) => a + p.prob, 0);
      assert.ok(total > 0 && total < 1, "probabilities come from the full-vocabulary softmax");
    }
    assert.equal(out[0][0].token, "the");
    assert.equal(out[1][0].token, "bad"); // [CLS] is not a candidate, so "bad" (+1) wins
    assert.equal(out[2][0].token, "good");
    assert.equal(out[3][0].token, "film");
    assert.deepEqual(out[4], out[0]);
    // 4 distinct texts in batches of 2, sorted by length: the two short ones share a batch.
    assert.deepEqual(seen, [{ rows: 2, seqLen: 4 }, { rows: 2, seqLen: 7 }]);
    assert.equal(mlm.queries, 4);
    const again = await mlm.topK([texts[3]], 3);
    assert.deepEqual(again[0], out[3]);
    assert.equal(mlm.cacheHits, 1);
    assert.equal(mlm.queries, 4);
    // k larger than the candidates: only candidates come back
    const all = await mlm.topK(["the [MASK]"], 50);
    assert.deepEqual(all[0].map((p) => p.token).sort(), ["bad", "film", "good", "the"]);
    mlm.dispose();
  },
);

Deno.test("createModelMaskedLM: errors say what is wrong", async () => {
  const mlm = createModelMaskedLM(fakeModel([]), fakeTokenizer);
  await assert.rejects(
    mlm.topK(["no mask here"], 3),
    /exactly one \[MASK\] in each text, got "no mask here"/,
  );
  await assert.rejects(mlm.topK(["[MASK] and [MASK]"], 3), /exactly one \[MASK\]/);
  await assert.rejects(mlm.topK(["the [MASK]"], 0), /k must be a positive integer/);
  assert.throws(
    () => createModelMaskedLM(fakeModel([]), fakeTokenizer, { maxLength: 2 }),
    /maxLength/,
  );
  mlm.dispose();
});

Deno.test("createModelMaskedLM: long inputs keep a window around the mask", async () => {
  const seen: { rows: number; seqLen: number }[] = [];
  const mlm = createModelMaskedLM(fakeModel(seen), fakeTokenizer, { maxLength: 8 });
  const long = Array(20).fill("good").join(" ");
  const out = await mlm.topK([
    `${long} film [MASK] ${long}`,
    `[MASK] ${long}`,
    `${long} the [MASK]`,
  ], 2);
  assert.deepEqual(out.map((p) => p[0].token), ["film", "bad", "the"]);
  assert.ok(seen.every((s) => s.seqLen <= 8));
  mlm.dispose();
});

// ---- a tiny random BERT MLM with the real vocabulary ---------------------------------------
Deno.test(
  "createModelMaskedLM (tiny random BERT): shapes, " +
    "k whole words, batch = single, no leak",
  async () => {
    const tokenizer = await createBertTokenizer();
    const model = createBertForMaskedLM({
      vocab_size: tokenizer.vocabSize,
      hidden_size: 16,
      num_hidden_layers: 1,
      num_attention_heads: 2,
      intermediate_size: 32,
      max_position_embeddings: 64,
    }, { seed: 3 });
    const mlm = createModelMaskedLM(model, tokenizer, { batchSize: 4 });
    const texts = [
      "the [MASK] was surprisingly good",
      "a [MASK] film",
      "it is [MASK] , and the actors are wonderful in every single scene of this long movie",
      "[MASK]",
      "unbelievably [MASK] storytelling",
    ];
    const out = await mlm.topK(texts, 10);
    const before = tf.memory().numTensors;
    assert.equal(out.length, texts.length);
    for (const preds of out) {
      assert.equal(preds.length, 10);
      for (const p of preds) {
        assert.ok(
          !p.token.startsWith("##") && !/^\[.*\]$/.test(p.token),
          `not a whole word: ${p.token}`,
        );
        assert.ok(/\p{L}/u.test(p.token));
        assert.ok(p.prob > 0 && p.prob < 1);
      }
      assert.equal(new Set(preds.map((p) => p.token)).size, 10);
    }
    // Padding must not change the answer: each text alone gives the same top-k.
    mlm.clearCache();
    for (let i = 0; i < texts.length; i++) {
      const [alone] = await mlm.topK([texts[i]], 10);
      assert.deepEqual(alone.map((p) => p.token), out[i].map((p) => p.token));
      alone.forEach((p, j) => assert.ok(Math.abs(p.prob - out[i][j].prob) < 1e-5));
    }
    assert.equal(tf.memory().numTensors, before, "no tensors left behind by topK");
    // Through the BAE transformation: every candidate is a different whole word at that index.
    const text = AttackedText.fromInput({ text: "the acting was good" });
    const swaps = await new WordSwapMaskedLM(mlm, { maxCandidates: 8, minConfidence: 0 }).transform(
      text,
      [1],
    );
    assert.ok(swaps.length > 0 && swaps.length <= 8);
    for (const s of swaps) {
      assert.equal(s.numWords, 4);
      assert.notEqual(s.words[1], "acting");
      assert.deepEqual([s.words[0], s.words[2], s.words[3]], ["the", "was", "good"]);
    }
    mlm.dispose();
    model.dispose();
  },
);

Deno.test(
  "createModelMaskedLM.wordLogProbs (fake model): one mask per piece, summed log-softmax, cache",
  async () => {
    const seen: { rows: number; seqLen: number }[] = [];
    const mlm = createModelMaskedLM(fakeModel(seen), fakeTokenizer, { batchSize: 8 });
    // log-softmax of the fake logits at a position whose left token is `left`
    const logp = (left: number, id: number) => {
      const logits = VOCAB.map((_, j) =>
        (j === left ? 4 : 0) + (j === 5 ? 9 : 0) + (j === 11 ? 8 : 0) + (j === 10 ? 7 : 0) +
        (j === 7 ? 1 : 0)
      );
      const lse = Math.log(logits.reduce((a, x) => a + Math.exp(x), 0));
      return logits[id] - lse;
    };
    const before = tf.memory().numTensors;
    const scores = await mlm.wordLogProbs([
      { textWithMask: "the [MASK] film", word: "good" }, // 1 piece, left = the (9)
      { textWithMask: "the [MASK] film", word: "good ##ing" }, // 2 pieces: left the, then [MASK]
      { textWithMask: "[MASK] film", word: "bad" }, // left = [CLS] (2)
      { textWithMask: "the [MASK] film", word: "good" }, // repeated: served once
    ]);
    assert.ok(Math.abs(scores[0] - logp(9, 6)) < 1e-5);
    assert.ok(Math.abs(scores[1] - (logp(9, 6) + logp(4, 5))) < 1e-5);
    assert.ok(Math.abs(scores[2] - logp(2, 7)) < 1e-5);
    assert.equal(scores[3], scores[0]);
    assert.equal(mlm.queries, 3);
    assert.equal(tf.memory().numTensors, before, "no tensors left behind");
    await mlm.wordLogProbs([{ textWithMask: "[MASK] film", word: "bad" }]);
    assert.equal(mlm.cacheHits, 1);
    await assert.rejects(
      mlm.wordLogProbs([{ textWithMask: "no mask here", word: "good" }]),
      /exactly one \[MASK\]/,
    );
    mlm.dispose();
  },
);
