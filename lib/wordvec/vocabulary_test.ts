import assert from "node:assert/strict";
import { buildVocabulary, encodeCorpus, vocabularyOf } from "./vocabulary.ts";

const seqs = [["b", "a", "a", "c"], ["a", "b", "rare"], ["d", "d"], ["x"]];

Deno.test("buildVocabulary: min count, kept words, order by count then word", () => {
  const v = buildVocabulary(seqs, { minCount: 2, keep: (w) => w === "rare" || w === "zz" });
  assert.deepEqual(v.words, ["a", "b", "d", "rare"]);
  assert.deepEqual([...v.counts], [3, 2, 2, 1]);
  assert.equal(v.index.get("d"), 2);
  assert.deepEqual(buildVocabulary(seqs, { minCount: 3 }).words, ["a"]);
  assert.throws(() => buildVocabulary(seqs, { minCount: 0 }), /minCount must be an integer >= 1/);
});

Deno.test("encodeCorpus drops unknown words and sequences left empty", () => {
  const v = buildVocabulary(seqs, { minCount: 2 });
  const e = encodeCorpus(seqs, v);
  assert.deepEqual([...e.ids], [1, 0, 0, 0, 1, 2, 2]);
  assert.deepEqual([...e.offsets], [0, 3, 5, 7]);
  assert.throws(() => vocabularyOf(["a", "a"], Int32Array.from([1, 1])), /"a" twice/);
});
