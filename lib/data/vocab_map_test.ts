import assert from "node:assert/strict";
import { buildVocabMap, remapBatch } from "./vocab_map.ts";
import { encodeBatch } from "./batching.ts";
import { createBertTokenizer } from "./tokenizer.ts";

Deno.test("buildVocabMap: keeps seen ids and specials, unk fallback, PAD stays 0", () => {
  const m = buildVocabMap([[101, 7592, 2088, 102], [101, 7592, 999, 102]]);
  assert.deepEqual([...m.toFull], [0, 100, 101, 102, 103, 999, 2088, 7592]);
  assert.equal(m.size, 8);
  assert.equal(m.unk, 1);
  assert.equal(m.toSmall.length, 30522);
  assert.equal(m.toSmall[0], 0);
  assert.equal(m.toSmall[7592], 7);
  assert.equal(m.toSmall[1996], 1); // unseen → [UNK]
  const min2 = buildVocabMap([[101, 7592, 2088, 102], [101, 7592, 999, 102]], {
    minCount: 2,
    keepSpecial: false,
  });
  assert.deepEqual([...min2.toFull], [100, 101, 102, 7592]);
  assert.equal(min2.toSmall[2088], min2.unk);
  assert.throws(() => buildVocabMap([[30522]]), /outside the vocabulary \[0, 30522\)/);
});

Deno.test("remapBatch: maps input ids, leaves the rest", async () => {
  const tok = await createBertTokenizer();
  const batch = encodeBatch(
    [{ text: "hello, world!", label: 1 }, { text: "the cat", label: 0 }],
    tok,
  );
  const m = buildVocabMap([tok.encode("hello world").ids]);
  const r = remapBatch(batch, m);
  assert.equal(batch.seqLen, 6);
  assert.deepEqual([...r.inputIds.subarray(0, 6)], [
    m.toSmall[101],
    m.toSmall[7592],
    m.unk,
    m.toSmall[2088],
    m.unk,
    m.toSmall[102],
  ]);
  assert.deepEqual([...r.inputIds.subarray(10, 12)], [0, 0]); // padding stays 0
  assert.equal(r.attentionMask, batch.attentionMask);
  assert.deepEqual([...batch.inputIds.subarray(0, 2)], [101, 7592]); // the input is not changed
  const kept = new Set(m.toFull);
  for (let i = 0; i < r.inputIds.length; i++) {
    const full = batch.inputIds[i];
    assert.equal(r.inputIds[i], kept.has(full) ? m.toFull.indexOf(full) : m.unk);
  }
});
