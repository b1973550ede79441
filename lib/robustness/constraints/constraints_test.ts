import assert from "node:assert/strict";
import { AttackedText } from "../attacked_text.ts";
import { MatrixEmbedding } from "../embedding.ts";
import { consistsOfWordSwaps, type Transformation } from "../transformation.ts";
import { RepeatModification } from "./repeat_modification.ts";
import { StopwordModification, TEXTFOOLER_STOPWORDS } from "./stopword_modification.ts";
import { MaxModificationRate } from "./max_modification_rate.ts";
import { InputColumnModification } from "./input_column_modification.ts";
import { WordEmbeddingDistance } from "./word_embedding_distance.ts";
import { PartOfSpeech } from "./part_of_speech.ts";
import { tagWordsWithForms, verbForm } from "./_pos_tagger.ts";
import { MaxWordsPerturbed } from "./max_words_perturbed.ts";
import { levenshtein, LevenshteinEditDistance } from "./levenshtein_edit_distance.ts";
import { WindowEmbeddingSimilarity } from "./window_similarity.ts";
import { AntonymExclusion } from "./antonym_exclusion.ts";
import { testDataPath } from "../_test_fixtures.ts";

const swap: Transformation = {
  name: "swap",
  kinds: new Set(["word-swap"]),
  deterministic: true,
  transform: () => [],
};
const del: Transformation = {
  name: "del",
  kinds: new Set(["word-deletion"]),
  deterministic: true,
  transform: () => [],
};

Deno.test("RepeatModification leaves out modified words", () => {
  const t = new AttackedText(["a good film"]).replaceWordAt(1, "fine");
  assert.deepEqual([...new RepeatModification().modifiableIndices(t)], [0, 2]);
});

Deno.test("StopwordModification: NLTK list by default, custom lists, swaps only", () => {
  const t = new AttackedText(["The film is very good"]);
  assert.deepEqual([...new StopwordModification().modifiableIndices(t, swap)], [1, 4]);
  assert.deepEqual([
    ...new StopwordModification({ stopwords: ["film"] }).modifiableIndices(t, swap),
  ], [0, 2, 3, 4]);
  assert.equal(new StopwordModification().modifiableIndices(t, del).size, 5);
  assert.ok(TEXTFOOLER_STOPWORDS.has("whereupon") && !TEXTFOOLER_STOPWORDS.has("good"));
  assert.ok(consistsOfWordSwaps(swap) && !consistsOfWordSwaps(del));
});

Deno.test("MaxModificationRate stops at ceil(rate * words)", () => {
  const c = new MaxModificationRate(0.25); // 5 words -> 2 modifications allowed
  let t = new AttackedText(["a b c d e"]);
  assert.equal(c.modifiableIndices(t).size, 5);
  t = t.replaceWordAt(0, "x");
  assert.equal(c.modifiableIndices(t).size, 5);
  t = t.replaceWordAt(1, "y");
  assert.equal(c.modifiableIndices(t).size, 0);
  assert.throws(() => new MaxModificationRate(0), /\(0, 1\]/);
});

Deno.test("InputColumnModification freezes the premise", () => {
  const c = new InputColumnModification(["premise", "hypothesis"], ["premise"]);
  const pair = AttackedText.fromInput({ text: "a man sleeps", textB: "he rests" });
  assert.deepEqual([...c.modifiableIndices(pair)], [3, 4]);
  assert.equal(c.modifiableIndices(new AttackedText(["one two"])).size, 2);
  assert.throws(
    () => new InputColumnModification(["premise", "hypothesis"], ["text"]),
    /not one of/,
  );
});

const vocab = ["good", "fine", "bad", "film", "movie", "the", "is"];
// 2-d vectors: good/fine close, bad opposite, film/movie close.
const mat = new Float32Array([1, 0.1, 0.9, 0.2, -1, 0.1, 0, 1, 0.1, 1, 0.5, 0.5, 0.4, 0.6]);
const emb = new MatrixEmbedding(vocab, mat);

Deno.test("WordEmbeddingDistance keeps near swaps and unknown words by default", () => {
  const c = new WordEmbeddingDistance(emb, { minCosSim: 0.5 });
  const o = new AttackedText(["the film is good"]);
  const ok = o.replaceWordAt(3, "fine"),
    far = o.replaceWordAt(3, "bad"),
    unk = o.replaceWordAt(3, "zzz");
  assert.deepEqual(c.checkMany([ok, far, unk], o), [ok, unk]);
  assert.deepEqual(
    new WordEmbeddingDistance(emb, { minCosSim: 0.5, includeUnknownWords: false }).checkMany([
      ok,
      unk,
    ], o),
    [ok],
  );
  assert.deepEqual(
    emb.neighbours("good", 2).map((n) => n.word),
    ["fine", "film"].slice(0, 1).concat(emb.neighbours("good", 2)[1].word),
  );
  assert.equal(emb.neighbours("good", 1)[0].word, "fine");
});

Deno.test("PartOfSpeech: same tag or noun/verb swap in context", () => {
  const c = new PartOfSpeech();
  const o = new AttackedText(["the acting is good and the story moves"]);
  const adj = o.replaceWordAt(3, "fine"), noun = o.replaceWordAt(3, "table");
  assert.deepEqual(c.checkMany([adj, noun], o), [adj]);
  // a fake tagger shows the noun/verb rule
  const fake = new PartOfSpeech({
    tagger: (ws) => ws.map((w) => (w === "run" ? "VERB" : w === "race" ? "NOUN" : "ADJ")),
  });
  const t = new AttackedText(["we run"]);
  assert.equal(fake.checkMany([t.replaceWordAt(1, "race")], t).length, 1);
  const strict = new PartOfSpeech({
    allowVerbNounSwap: false,
    tagger: (ws) => ws.map((w) => (w === "run" ? "VERB" : "NOUN")),
  });
  assert.equal(strict.checkMany([t.replaceWordAt(1, "race")], t).length, 0);
});

Deno.test("MaxWordsPerturbed counts position-wise differences", () => {
  const o = new AttackedText(["a b c d e f g h i j"]);
  const two = o.replaceWordAt(0, "x").replaceWordAt(1, "y");
  const three = two.replaceWordAt(2, "z");
  assert.deepEqual(new MaxWordsPerturbed({ maxPercent: 0.2 }).checkMany([two, three], o), [two]);
  assert.deepEqual(new MaxWordsPerturbed({ maxNumWords: 3 }).checkMany([two, three], o), [
    two,
    three,
  ]);
  assert.throws(() => new MaxWordsPerturbed({ maxPercent: 20 }), /fraction/);
});

Deno.test("LevenshteinEditDistance", () => {
  assert.equal(levenshtein("kitten", "sitting"), 3);
  const o = new AttackedText(["good film"]);
  const one = o.replaceWordAt(0, "goood"), many = o.replaceWordAt(0, "excellent");
  assert.deepEqual(new LevenshteinEditDistance(2).checkMany([one, many], o), [one]);
});

Deno.test("WindowEmbeddingSimilarity scores windows and records the score", () => {
  const c = new WindowEmbeddingSimilarity(emb, { threshold: 0.9, windowSize: 3, metric: "cosine" });
  const o = new AttackedText(["the film is good"]);
  const near = o.replaceWordAt(3, "fine"), far = o.replaceWordAt(3, "bad");
  assert.deepEqual(c.checkMany([near, far], o), [near]);
  assert.ok(near.attrs.similarityScore! > far.attrs.similarityScore!);
  // shorter than the window: skipped (score 1)
  const wide = new WindowEmbeddingSimilarity(emb, { threshold: 0.99, windowSize: 15 });
  assert.deepEqual(wide.checkMany([far], o), [far]);
  assert.equal(far.attrs.similarityScore, 1);
  // angular similarity is 1 - acos(cos)/pi
  const ang = new WindowEmbeddingSimilarity(emb, { windowSize: 1 }).score(o, far, 3);
  const cos = new WindowEmbeddingSimilarity(emb, { windowSize: 1, metric: "cosine" }).score(
    o,
    far,
    3,
  );
  assert.ok(Math.abs(ang - (1 - Math.acos(cos) / Math.PI)) < 1e-6);
});

Deno.test("AntonymExclusion rejects known antonyms", () => {
  const c = new AntonymExclusion({
    paths: [
      testDataPath("synonyms/ppdb_antonyms.txt"),
      testDataPath("synonyms/wordnet_antonyms.txt"),
    ],
  });
  const o = new AttackedText(["a good film"]);
  const ant = o.replaceWordAt(1, "bad"), syn = o.replaceWordAt(1, "fine");
  assert.deepEqual(c.checkMany([ant, syn], o), [syn]);
});

Deno.test("PartOfSpeech with verbForm: verbs keep inflections (affecting -> dissemble)", () => {
  const o = new AttackedText(["it 's a charming and often affecting journey ."]);
  const dissemble = o.replaceWordAt(6, "dissemble"), moving = o.replaceWordAt(6, "moving");
  // the universal tags alone (TextAttack's check) see VERB -> VERB and let it through
  assert.equal(new PartOfSpeech().checkMany([dissemble], o).length, 1);
  const strict = new PartOfSpeech({ verbForm: true });
  assert.deepEqual(strict.checkMany([dissemble, moving], o), [moving]);
  assert.deepEqual(tagWordsWithForms(["he", "walked", "and", "is", "talking"]), [
    "PRON",
    "VERB:ed",
    "CONJ",
    "VERB:s",
    "VERB:ing",
  ]);
  assert.equal(verbForm("run", "run"), "base");
});
