import assert from "node:assert/strict";
import { rocAuc, scorePairs } from "./pair_metrics.ts";

Deno.test("rocAuc: separation, chance, ties and empty inputs", () => {
  assert.equal(rocAuc([0.9, 0.8], [0.1, 0.2, 0.3]), 1);
  assert.equal(rocAuc([0.1], [0.9]), 0);
  assert.equal(rocAuc([0.5, 0.5], [0.5]), 0.5);
  assert.equal(rocAuc([0.6, 0.4], [0.5]), 0.5);
  assert.ok(Number.isNaN(rocAuc([], [1])));
});

Deno.test("scorePairs skips unknown words and counts the threshold share", () => {
  const cos: Record<string, number> = { "a b": 0.9, "a c": 0.2, "b c": 0.5 };
  const emb = { similarity: (x: string, y: string) => cos[`${x} ${y}`] };
  const s = scorePairs(emb, [["a", "b"], ["a", "c"], ["b", "c"], ["a", "zz"]]);
  assert.equal(s.covered, 3);
  assert.equal(s.total, 4);
  assert.ok(Math.abs(s.mean - 1.6 / 3) < 1e-12);
  assert.equal(s.median, 0.5);
  assert.equal(s.shareAtLeast, 2 / 3);
  const none = scorePairs(emb, []);
  assert.ok(Number.isNaN(none.mean) && Number.isNaN(none.shareAtLeast));
});
