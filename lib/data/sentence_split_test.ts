import assert from "node:assert/strict";
import { heldOutSplit } from "./splits.ts";
import { loadSplit } from "./registry.ts";
import { completeSentences, containedIn, sentenceHeldOut } from "./sentence_split.ts";

const row = (text: string, label = 1) => ({ text, label });

Deno.test(
  "completeSentences: rows inside another row, " +
    "duplicates and short rows are dropped",
  () => {
    const rows = [
      row("a gorgeous , witty , seductive movie ."),
      row("gorgeous , witty ,"), // a phrase of the row above
      row("the film is a charming and often affecting journey .", 0),
      row("charming and often affecting journey", 0), // phrase, 5 words
      row("the film is a charming and often affecting journey .", 0), // duplicate
      row("it is a dull , lifeless and tedious piece of work", 0),
    ];
    const got = completeSentences(rows, { minWords: 6 }).map((r) => r.text);
    assert.deepEqual(got, [
      "a gorgeous , witty , seductive movie .",
      "the film is a charming and often affecting journey .",
      "it is a dull , lifeless and tedious piece of work",
    ]);
    // a word-level run, not a substring of characters: "movie" is not inside "movies"
    assert.equal(
      completeSentences([row("one two three"), row("one two three four")], { minWords: 3 })
        .length,
      1,
    );
    assert.equal(
      completeSentences([row("a movie b c"), row("a movies b c d")], { minWords: 4 })
        .length,
      2,
    );
  },
);

Deno.test(
  "sentenceHeldOut: held-out sentences and their " +
    "phrases never reach the training pool",
  () => {
    const rows = [
      row("a gorgeous , witty , seductive movie ."),
      row("gorgeous , witty ,"),
      row("seductive movie"),
      row("it is a dull , lifeless and tedious piece of work", 0),
      row("a dull , lifeless", 0),
      row("the plot is thin and the acting is worse", 0),
      row("an unexpectedly moving and funny little film"),
    ];
    const s = sentenceHeldOut(rows, { size: 2, seed: 1, minWords: 6 });
    assert.equal(s.validation.length, 2);
    assert.deepEqual(containedIn(s.validation, s.train), { contained: 0, total: 2, share: 0 });
    assert.equal(s.stats.train + s.stats.removedFromTrain + s.stats.heldOut, rows.length);
    assert.throws(
      () => sentenceHeldOut(rows, { size: 99, seed: 1, minWords: 6 }),
      /size must be an integer in \[1, 4\]/,
    );
  },
);

Deno.test(
  "SST-2: the row-level held-out split leaks, " +
    "the sentence-level one does not",
  async () => {
    const train = await loadSplit("sst2", "train");
    const old = heldOutSplit(train, { size: 2000, seed: 13 });
    const before = containedIn(old.validation, old.train);
    assert.ok(before.share > 0.8, `row-level split: ${before.share} of held-out rows inside train`);
    const s = sentenceHeldOut(train, { size: 1000, seed: 13 });
    assert.equal(s.validation.length, 1000);
    assert.ok(s.validation.every((v) => v.text.trim().split(/\s+/).length >= 8));
    assert.deepEqual(containedIn(s.validation, s.train), { contained: 0, total: 1000, share: 0 });
    // and no training row lies inside a held-out sentence
    assert.equal(containedIn(s.train, s.validation).contained, 0);
  },
);
