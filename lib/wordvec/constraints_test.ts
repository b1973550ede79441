import assert from "node:assert/strict";
import { join } from "node:path";
import { readPairFile, splitConstraints } from "./constraints.ts";
import { vocabularyOf } from "./vocabulary.ts";

const words = Array.from({ length: 40 }, (_, i) => `w${i}`);
const vocab = vocabularyOf(words, new Int32Array(40).fill(1));
const pairsOf = (flat: Int32Array) => {
  const out: string[] = [];
  for (let p = 0; p < flat.length; p += 2) out.push(`${flat[p]}-${flat[p + 1]}`);
  return out;
};

Deno.test("splitConstraints dedupes, keeps in-vocabulary pairs, antonyms win overlaps", () => {
  const syn: [string, string][] = [
    ["w1", "w0"],
    ["w0", "w1"],
    ["w2", "w3"],
    ["w4", "w4"],
    ["w5", "oov"],
    ["w6", "w7"],
  ];
  const ant: [string, string][] = [["w7", "w6"], ["w8", "w9"], ["w9", "w8"]];
  const s = splitConstraints(vocab, { synonyms: syn, antonyms: ant }, { heldOut: 0 });
  assert.deepEqual(pairsOf(s.synonyms), ["0-1", "2-3"]);
  assert.deepEqual(pairsOf(s.antonyms), ["6-7", "8-9"]);
  assert.deepEqual(s.counts, {
    synonymPairs: 4,
    synonymPairsInVocab: 3,
    antonymPairs: 2,
    antonymPairsInVocab: 2,
    bothSynonymAndAntonym: 1,
  });
});

Deno.test("splitConstraints holds out a seeded 10% of each kind, disjoint from training", () => {
  const syn: [string, string][] = [], ant: [string, string][] = [];
  for (let i = 0; i < 39; i++) syn.push([`w${i}`, `w${i + 1}`]);
  for (let i = 0; i < 20; i++) ant.push([`w${i}`, `w${i + 20}`]);
  const a = splitConstraints(vocab, { synonyms: syn, antonyms: ant }, { seed: 1 });
  const b = splitConstraints(vocab, { synonyms: syn, antonyms: ant }, { seed: 1 });
  const c = splitConstraints(vocab, { synonyms: syn, antonyms: ant }, { seed: 2 });
  assert.equal(a.heldOutSynonyms.length / 2, 4);
  assert.equal(a.heldOutAntonyms.length / 2, 2);
  assert.equal(a.synonyms.length / 2, 35);
  assert.deepEqual(a, b);
  assert.notDeepEqual(pairsOf(a.heldOutSynonyms), pairsOf(c.heldOutSynonyms));
  const train = new Set(pairsOf(a.synonyms));
  assert.ok(pairsOf(a.heldOutSynonyms).every((p) => !train.has(p)));
  assert.throws(
    () => splitConstraints(vocab, { synonyms: syn, antonyms: ant }, { heldOut: 1 }),
    /heldOut must be in/,
  );
});

Deno.test("readPairFile lower-cases, skips blank lines and names a bad line", async () => {
  const root = await Deno.makeTempDir({ prefix: "wordvec_pairs_" });
  try {
    await Deno.writeTextFile(join(root, "p.txt"), "Good great \n\nbad awful\n");
    assert.deepEqual(await readPairFile("p.txt", { dataRoot: root }), [
      ["good", "great"],
      ["bad", "awful"],
    ]);
    await Deno.writeTextFile(join(root, "p.txt"), "a b\na b c\n");
    await assert.rejects(
      readPairFile("p.txt", { dataRoot: root }),
      /Cannot read .*p\.txt: line 2 is "a b c", expected "word word"/,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
