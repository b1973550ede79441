import assert from "node:assert/strict";
import type { EncodedBatch } from "../data/mod.ts";
import { createBatchedVictim } from "./batched_victim.ts";

const tokenizer = {
  encode(text: string, textB?: string, options: { maxLength?: number } = {}) {
    const words = `${text} ${textB ?? ""}`.split(/\s+/).filter(Boolean);
    const ids = [101, ...words.map((w) => w.length)].slice(0, options.maxLength ?? 128);
    return { ids, tokenTypeIds: ids.map((_, i) => (i > text.split(" ").length ? 1 : 0)) };
  },
};

Deno.test("createBatchedVictim: pads, batches, caches around an async forward pass", async () => {
  const seen: EncodedBatch[] = [];
  // probability of label 1 = the row's real-token count / 10 (so padding is visible)
  const victim = createBatchedVictim(2, tokenizer, async (b) => {
    await Promise.resolve();
    seen.push(b);
    return Array.from({ length: b.batchSize }, (_, r) => {
      let n = 0;
      for (let j = 0; j < b.seqLen; j++) n += b.attentionMask[r * b.seqLen + j];
      return [1 - n / 10, n / 10];
    });
  }, { batchSize: 2, padId: 7 });
  const p = await victim.predict([{ text: "a bb" }, { text: "ccc" }, { text: "d e f" }]);
  assert.deepEqual(p.map((r) => r[1]), [0.3, 0.2, 0.4]);
  assert.deepEqual(seen.map((b) => [b.batchSize, b.seqLen]), [[2, 3], [1, 4]]);
  assert.deepEqual([...seen[0].inputIds], [101, 1, 2, 101, 3, 7]); // padded with padId
  assert.equal(victim.queries, 3);
  await victim.predict([{ text: "ccc" }, { text: "x", textB: "yy" }]);
  assert.equal(victim.cacheHits, 1);
  assert.equal(victim.queries, 4);
  assert.deepEqual([...seen[2].tokenTypeIds], [0, 0, 1]);
  victim.clearCache();
  await victim.predict([{ text: "ccc" }]);
  assert.equal(victim.queries, 5);
});

Deno.test("createBatchedVictim: a forward pass with the wrong rows is an error", async () => {
  const victim = createBatchedVictim(3, tokenizer, (b) => Array(b.batchSize).fill([0.5, 0.5]));
  await assert.rejects(
    victim.predict([{ text: "a" }]),
    /1 rows of \[2\] for 1 inputs and 3 labels/,
  );
});
