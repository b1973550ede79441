import assert from "node:assert/strict";
import { decodeWordPiece } from "./decode.ts";

const VOCAB = ["[PAD]", "[CLS]", "[SEP]", "[MASK]", "the", "play", "##ful", "film", "is", "dull"];

Deno.test("decodeWordPiece: joins continuations, drops specials, marks changed words", () => {
  const ids = [1, 4, 5, 6, 7, 8, 9, 2, 0, 0];
  assert.equal(decodeWordPiece(ids, VOCAB), "the playful film is dull");
  // a changed continuation marks its whole word; offsets address a row of a batch
  assert.equal(
    decodeWordPiece(ids, VOCAB, { mark: new Set([13, 16]), offset: 10 }),
    "the «playful» film is «dull»",
  );
  assert.equal(decodeWordPiece([3], VOCAB), "[MASK]");
  assert.throws(() => decodeWordPiece([1, 42], VOCAB), /id 42 at 1 is outside the vocabulary/);
});
