import assert from "node:assert/strict";
import { AttackedText, splitWords, wordsFromText } from "./attacked_text.ts";

Deno.test("words follow TextAttack's splitting, with offsets", () => {
  assert.deepEqual(wordsFromText("it 's a charming , well-made film !"), [
    "it",
    "s",
    "a",
    "charming",
    "well-made",
    "film",
  ]);
  assert.deepEqual(wordsFromText("don't -- stop"), ["don't", "stop"]);
  assert.deepEqual(wordsFromText(""), []);
  const spans = splitWords("a 'bc d");
  assert.deepEqual(spans[1], { word: "bc", start: 3, end: 5 });
});

Deno.test("replaceWordAt keeps punctuation and tracks modified indices", () => {
  const t = new AttackedText(["the film , good ."]);
  const u = t.replaceWordAt(2, "fine");
  assert.equal(u.text, "the film , fine .");
  assert.deepEqual([...u.attrs.modifiedIndices], [2]);
  assert.deepEqual([...u.attrs.newlyModifiedIndices], [2]);
  assert.equal(u.attrs.previous, t);
  const v = u.replaceWordAt(0, "a");
  assert.deepEqual([...v.attrs.modifiedIndices].sort(), [0, 2]);
  assert.deepEqual([...v.attrs.newlyModifiedIndices], [0]);
  assert.deepEqual([...t.allWordsDiff(v)].sort(), [0, 2]);
  // replacing a word by itself modifies nothing
  assert.equal(t.replaceWordAt(1, "film").attrs.modifiedIndices.size, 0);
});

Deno.test("delete and insert shift indices and the original index map", () => {
  const t = new AttackedText(["it 's a good film"]);
  const d = t.deleteWordAt(1);
  assert.equal(d.text, "it a good film");
  assert.deepEqual(Array.from(d.attrs.originalIndexMap), [0, -1, 1, 2, 3]);
  const m = t.replaceWordAt(3, "nice").deleteWordAt(0);
  assert.deepEqual([...m.attrs.modifiedIndices], [2]); // "nice" moved from 3 to 2
  const ins = t.insertWordsBefore(3, "very");
  assert.equal(ins.text, "it 's a very good film");
  assert.deepEqual(Array.from(ins.attrs.originalIndexMap), [0, 1, 2, 4, 5]);
  assert.deepEqual([...ins.attrs.modifiedIndices].sort(), [3, 4]); // as TextAttack marks it
  // a replacement holding a space splits into two words (TextBugger's space insertion)
  const sp = t.replaceWordAt(3, "go od");
  assert.deepEqual(sp.words, ["it", "s", "a", "go", "od", "film"]);
  assert.deepEqual(Array.from(sp.attrs.originalIndexMap), [0, 1, 2, 3, 5]);
  assert.throws(() => t.replaceWordAt(9, "x"), /out of range \[0, 5\)/);
});

Deno.test("sentence pairs: columns, word columns, edits stay in their column", () => {
  const t = AttackedText.fromInput({ text: "a man sleeps .", textB: "a person rests ." });
  assert.deepEqual(t.columnLabels, ["premise", "hypothesis"]);
  assert.deepEqual(t.words, ["a", "man", "sleeps", "a", "person", "rests"]);
  assert.deepEqual(t.words.map((_, i) => t.wordColumn(i)), [0, 0, 0, 1, 1, 1]);
  assert.deepEqual(t.wordsPerInput(), [["a", "man", "sleeps"], ["a", "person", "rests"]]);
  const u = t.replaceWordAt(5, "naps");
  assert.deepEqual(u.toInput(), { text: "a man sleeps .", textB: "a person naps ." });
  assert.equal(u.text, "a man sleeps .\na person naps .");
  assert.throws(() => new AttackedText(["a"], { columnLabels: ["x", "y"] }), /1 column\(s\) but 2/);
});

Deno.test("window around an index matches TextAttack's rule", () => {
  const t = new AttackedText(["a b c d e f g h i j"]);
  assert.deepEqual(t.windowAround(0, 5), [0, 4]);
  assert.deepEqual(t.windowAround(5, 5), [3, 7]);
  assert.deepEqual(t.windowAround(9, 5), [5, 9]);
  assert.deepEqual(t.windowAround(4, 4), [2, 5]);
  assert.deepEqual(t.wordWindow(3, 100), t.words);
});

Deno.test("diff marks changed words on both sides", () => {
  const t = new AttackedText(["the film is good ."]);
  const u = t.replaceWordAt(3, "fine");
  assert.deepEqual(t.diff(u), {
    original: "the film is [[good]] .",
    perturbed: "the film is [[fine]] .",
  });
});
