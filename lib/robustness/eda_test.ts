import assert from "node:assert/strict";
import { eda, edaOperation, edaWords } from "./eda.ts";
import { Prng } from "../random/mod.ts";

const example = {
  text: "The movie was a wonderful and moving story about a brave family .",
  label: 1,
};

Deno.test("EDA: seeded, label kept, one operation per variant", () => {
  const a = eda(example, { seed: 3, perSentence: 8 });
  const b = eda(example, { seed: 3, perSentence: 8 });
  const c = eda(example, { seed: 4, perSentence: 8 });
  assert.equal(a.length, 8);
  assert.deepEqual(a, b, "same seed, same output");
  assert.notDeepEqual(a, c, "another seed, other output");
  assert.ok(a.every((e) => e.label === 1));
  assert.ok(a.some((e) => e.text !== edaWords(example.text).join(" ")));
});

Deno.test("EDA operations: swap and deletion keep the word multiset / order as stated", () => {
  const words = edaWords(example.text);
  assert.deepEqual(words.slice(0, 3), ["the", "movie", "was"]);
  const rs = edaOperation("rs", words, 0.2, Prng.fromSeed(1));
  assert.deepEqual([...rs].sort(), [...words].sort());
  assert.notDeepEqual(rs, words);
  const rd = edaOperation("rd", words, 0.3, Prng.fromSeed(1));
  assert.ok(rd.length < words.length && rd.length >= 1);
  let at = 0; // deletion keeps the order of the words left
  for (const w of rd) at = words.indexOf(w, at) + 1;
  assert.ok(at > 0);
  const sr = edaOperation("sr", words, 0.2, Prng.fromSeed(1));
  assert.equal(sr.length, words.length);
  const changed = sr.filter((w, i) => w !== words[i]);
  assert.ok(changed.length >= 1 && changed.length <= 2, `${changed}`);
  const ri = edaOperation("ri", words, 0.2, Prng.fromSeed(1));
  assert.ok(ri.length > words.length);
  assert.deepEqual(edaOperation("rd", ["one"], 0.9, Prng.fromSeed(1)), ["one"]);
});
