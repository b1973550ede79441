import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../backend/mod.ts";
import type { Classifier, ModelOutput } from "../models/mod.ts";
import type { EncodedBatch } from "../data/mod.ts";
import { createModelVictim, embeddingFromModel } from "./model_victim.ts";

await initBackend({ prefer: "wasm" });

const VOCAB = ["[PAD]", "[CLS]", "good", "bad", "film", "the"];

/** Mean of 2-d token embeddings over real tokens = logits. */
function tinyModel(numLabels = 2): Classifier {
  const table = tf.variable(tf.tensor2d([[0, 0], [0, 0], [-2, 2], [2, -2], [0, 0.1], [0, 0]]));
  return {
    kind: "tiny",
    config: {},
    params: new Map([["bert.embeddings.word_embeddings.weight", table]]),
    numLabels,
    forward(batch: EncodedBatch): ModelOutput {
      return tf.tidy(() => {
        const ids = tf.tensor2d(batch.inputIds, [batch.batchSize, batch.seqLen], "int32");
        const mask = tf.tensor2d(batch.attentionMask, [batch.batchSize, batch.seqLen], "float32")
          .expandDims(2); // [b, s, 1]
        const e = tf.gather(table, ids) as unknown as tf.Tensor3D; // [b, s, 2]
        const logits = e.mul(mask).sum(1).div(mask.sum(1)) as tf.Tensor2D; // [b, 2]
        return { logits, hidden: [e] };
      });
    },
    countParams: () => 12,
    dispose: () => table.dispose(),
  };
}

const tokenizer = {
  encode(text: string, textB?: string, options: { maxLength?: number } = {}) {
    const words = `${text} ${textB ?? ""}`.split(/\s+/).filter(Boolean);
    const ids = [1, ...words.map((w) => Math.max(0, VOCAB.indexOf(w)))].slice(
      0,
      options.maxLength ?? 128,
    );
    return { ids, tokenTypeIds: ids.map(() => 0) };
  },
};

Deno.test(
  "createModelVictim: batched probabilities, LRU cache, " +
    "counters, no tensor leak",
  async () => {
    const model = tinyModel();
    const victim = createModelVictim(model, tokenizer, { batchSize: 2 });
    const before = tf.memory().numTensors;
    const out = await victim.predict([{ text: "good film" }, { text: "bad" }, {
      text: "the good the good the",
    }]);
    assert.equal(out.length, 3);
    for (const row of out) assert.ok(Math.abs(row[0] + row[1] - 1) < 1e-5);
    assert.ok(out[0][1] > 0.5 && out[1][0] > 0.5);
    assert.equal(victim.queries, 3);
    const again = await victim.predict([{ text: "bad" }, { text: "film" }]);
    assert.deepEqual(again[0], out[1]);
    assert.equal(victim.cacheHits, 1);
    assert.equal(victim.queries, 4);
    assert.equal(tf.memory().numTensors, before);
    const emb = embeddingFromModel(model, VOCAB);
    assert.equal(emb.neighbours("good", 1)[0].word, "film");
    assert.throws(
      () => embeddingFromModel(model, VOCAB, { paramName: "x" }),
      /embedding-like parameters: bert.embeddings.word_embeddings.weight/,
    );
    model.dispose();
  },
);

Deno.test("createModelVictim checks one row of numLabels per input", async () => {
  const model = tinyModel(3);
  const victim = createModelVictim(model, tokenizer);
  await assert.rejects(
    victim.predict([{ text: "good" }]),
    /logits of shape \[1, 2\] for 1 inputs and 3 labels/,
  );
  model.dispose();
});
