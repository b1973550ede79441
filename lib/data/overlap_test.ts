import assert from "node:assert/strict";
import { OverlapIndex, sentenceKey, shingles } from "./overlap.ts";

Deno.test("sentenceKey: tokenisation differences between MR and SST-2 vanish", () => {
  assert.equal(
    sentenceKey("it does n't -lrb- really -rrb- work ."),
    sentenceKey("It doesn't (really) work."),
  );
  assert.notEqual(sentenceKey("it works"), sentenceKey("it worked"));
});

Deno.test("OverlapIndex: exact sentences and shared runs of 6 words", () => {
  const index = new OverlapIndex([
    "the film is a charming , funny and moving story of two friends .",
  ]);
  assert.equal(index.size, 1);
  assert.ok(index.equals("The film is a charming, funny and moving story of two friends."));
  assert.ok(index.overlaps("a charming , funny and moving story"), "a piece of 6 words");
  assert.ok(!index.overlaps("a charming , funny and"), "5 words are not enough");
  assert.ok(!index.overlaps("a dull story of two enemies"));
  assert.deepEqual(shingles("one two three four five"), []);
  assert.equal(shingles("one two three four five six seven").length, 2);
});
