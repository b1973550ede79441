import assert from "node:assert/strict";
import { join } from "node:path";
import { Prng } from "../random/mod.ts";
import { buildWordVectors, DEFAULT_SETTINGS, type WordVecSettings } from "./build.ts";
import { loadWordVectors, writeWordVectors } from "../robustness/tfjs.ts";

/** A data root with a tiny MPQA-shaped corpus of two topics and the three pair files. */
async function fixtureRoot(): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "wordvec_build_" });
  const prng = Prng.fromSeed(4);
  const pos = ["good", "great", "fine", "nice", "superb"];
  const neg = ["bad", "awful", "poor", "lousy", "dire"];
  const line = (words: string[]) =>
    Array.from({ length: 8 }, () => prng.pick(prng.next() < 0.6 ? words : ["it", "was", "so"]))
      .join(" ");
  const lines = (words: string[]) => Array.from({ length: 300 }, () => line(words)).join("\n");
  await Deno.mkdir(join(root, "mpqa"));
  await Deno.mkdir(join(root, "synonyms"));
  await Deno.writeTextFile(join(root, "mpqa/mpqa.pos"), lines(pos) + "\n");
  await Deno.writeTextFile(join(root, "mpqa/mpqa.neg"), lines(neg) + "\n");
  await Deno.writeTextFile(
    join(root, "synonyms/ppdb_synonyms.txt"),
    "good great\ngreat good\nbad awful\nfine nice\npoor lousy\nsuperb dire\n",
  );
  await Deno.writeTextFile(join(root, "synonyms/wordnet_antonyms.txt"), "good bad\ngreat awful\n");
  await Deno.writeTextFile(join(root, "synonyms/ppdb_antonyms.txt"), "nice poor \n");
  return root;
}

const SETTINGS: WordVecSettings = {
  ...DEFAULT_SETTINGS,
  minCount: 2,
  skipGram: { ...DEFAULT_SETTINGS.skipGram, dim: 12, epochs: 3, sample: 0, tableSize: 10_000 },
  heldOut: 0,
};

Deno.test("buildWordVectors is deterministic and its files load back", async () => {
  const root = await fixtureRoot();
  try {
    const a = await buildWordVectors({ dataRoot: root, sources: ["mpqa"], settings: SETTINGS });
    const b = await buildWordVectors({ dataRoot: root, sources: ["mpqa"], settings: SETTINGS });
    assert.deepEqual(a.counterFitted, b.counterFitted);
    assert.deepEqual(a.skipGram, b.skipGram);
    assert.equal(a.vocab.words.length, 13);
    assert.equal(a.constraints.synonyms.length / 2, 5);
    assert.equal(a.constraints.antonyms.length / 2, 3);
    const cos = (m: Float32Array, x: string, y: string) => {
      const i = a.vocab.index.get(x)!, j = a.vocab.index.get(y)!;
      let d = 0;
      for (let k = 0; k < 12; k++) d += m[i * 12 + k] * m[j * 12 + k];
      return d;
    };
    const h = a.counterFitHistory;
    assert.equal(h.length, 20);
    assert.ok(h[19].synonymCost < h[0].synonymCost, JSON.stringify([h[0], h[19]]));
    assert.ok(a.randomPairMedianCosine.centred < a.randomPairMedianCosine.raw);
    const dir = join(root, "out");
    await writeWordVectors(dir, { ...a.vocab, vectors: a.counterFitted });
    const v = await loadWordVectors(dir);
    const c = cos(a.counterFitted, "superb", "dire");
    assert.ok(Math.abs(v.similarity("superb", "dire")! - c) < 5e-3);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
