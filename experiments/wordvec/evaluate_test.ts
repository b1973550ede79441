import assert from "node:assert/strict";
import { join } from "node:path";
import { normaliseRows, SKIPGRAM_FILE, writeWordVectors } from "../../lib/wordvec/mod.ts";
import { evaluateWordVectors } from "./evaluate.ts";

Deno.test("evaluateWordVectors prints the tables, named pairs and neighbours", async () => {
  const dir = await Deno.makeTempDir({ prefix: "wordvec_eval_" });
  try {
    const words = ["good", "bad", "charming", "delightful", "boring", "dull", "film", "love"];
    const raw = Float32Array.from([
      [1, 0, 0, 0.1],
      [-1, 0, 0.1, 0],
      [0.9, 0.3, 0, 0],
      [0.8, 0.4, 0, 0],
      [-0.5, 0, 1, 0],
      [-0.4, 0, 1, 0.1],
      [0, 0, 0, 1],
      [0.5, 0.5, 0.5, 0],
    ].flat());
    const counts = Int32Array.from(words.map((_, i) => 100 - i));
    const meta = { metadata: { heldOut: "0.5", heldOutSeed: "1" } };
    await writeWordVectors(dir, { words, counts, vectors: normaliseRows(raw, 4) }, meta);
    await Deno.copyFile(join(dir, "vectors.safetensors"), join(dir, SKIPGRAM_FILE));
    const md = await evaluateWordVectors({ dir, teacherDir: null, randomPairs: 20 });
    assert.match(md, /\| metric \| skip-gram \(before\) \| counter-fitted \(after\) \|/);
    assert.match(md, /\| ROC AUC synonyms vs antonyms \|/);
    assert.match(md, /\| charming \/ sorcerous \| none \| sorcerous not in vocabulary \|/);
    assert.match(
      md,
      /\| charming \/ delightful \| synonym, (trained|held out) \| 0\.9\d\d \(rank 1\) \|/,
    );
    assert.match(md, /\| good \/ bad \| antonym, (trained|held out) \| -0\.99\d/);
    assert.match(md, /\| actor \| \(not in vocabulary\) \|/);
    assert.match(md, /\| charming \| \d+ \| \d+ with a vector; \d+ at >= 0\.5/);
    assert.match(md, /Teacher table not evaluated \(--no-teacher\)/);
    assert.ok(!md.includes("undefined") && !md.includes("NaN"), md);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
