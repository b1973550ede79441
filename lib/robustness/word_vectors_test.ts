import assert from "node:assert/strict";
import { join } from "node:path";
import type { WordEmbedding } from "./embedding.ts";
import { loadWordVectors, parseWords, SKIPGRAM_FILE, writeWordVectors } from "./word_vectors.ts";

const WORDS = ["good", "great", "bad", "awful", "film"];
const COUNTS = Int32Array.from([50, 20, 40, 5, 90]);
/** Unit rows of a row-major matrix. */
function unitRows(m: Float32Array, dim: number): Float32Array {
  for (let r = 0; r < m.length; r += dim) {
    let n = 0;
    for (let j = 0; j < dim; j++) n += m[r + j] ** 2;
    for (let j = 0; j < dim; j++) m[r + j] /= Math.sqrt(n);
  }
  return m;
}

const VECTORS = unitRows(
  Float32Array.from([
    [1, 0.1, 0, 0],
    [0.9, 0.2, 0.1, 0],
    [-1, 0, 0.2, 0],
    [-0.9, 0.1, 0.3, 0],
    [0, 0, 0, 1],
  ].flat()),
  4,
);

async function written(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "wordvec_io_" });
  await writeWordVectors(dir, { words: WORDS, counts: COUNTS, vectors: VECTORS }, {
    metadata: { stage: "test" },
  });
  return dir;
}

Deno.test("loadWordVectors round-trips words, counts and vectors (F16)", async () => {
  const dir = await written();
  try {
    const v = await loadWordVectors(dir);
    const emb: WordEmbedding = v; // usable wherever the attacks take a WordEmbedding
    assert.equal(emb.dim, 4);
    assert.deepEqual(v.vocab, WORDS);
    assert.deepEqual(v.counts, COUNTS);
    assert.equal(v.metadata.stage, "test");
    assert.equal(v.metadata.words, "5");
    for (let i = 0; i < VECTORS.length; i++) {
      assert.ok(Math.abs(v.vector(WORDS[i >> 2])![i % 4] - VECTORS[i]) < 1e-3);
    }
    assert.deepEqual(emb.neighbours("good", 2).map((n) => n.word), ["great", "film"]);
    assert.deepEqual(v.vector("Good"), v.vector("good")); // lower-cased lookup
    assert.equal(v.vector("unknown"), undefined);
    await Deno.copyFile(join(dir, "vectors.safetensors"), join(dir, SKIPGRAM_FILE));
    assert.equal((await loadWordVectors(dir, { file: SKIPGRAM_FILE })).vocab.length, 5);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadWordVectors names the file that is missing or corrupt", async () => {
  const dir = await written();
  try {
    const vectors = join(dir, "vectors.safetensors");
    const bytes = await Deno.readFile(vectors);
    await Deno.writeFile(vectors, bytes.subarray(0, bytes.length - 3));
    await assert.rejects(loadWordVectors(dir), /Cannot load word vectors: .*vectors\.safetensors/);
    await Deno.writeFile(vectors, new TextEncoder().encode("not a safetensors file at all"));
    await assert.rejects(loadWordVectors(dir), /vectors\.safetensors: header length/);
    await Deno.writeFile(vectors, bytes);
    await Deno.writeTextFile(join(dir, "words.txt"), "good\t50\ngreat\t20\n");
    await assert.rejects(
      loadWordVectors(dir),
      /vectors\.safetensors: 5 rows \(metadata words=5\) but .*words\.txt lists 2 words/,
    );
    await Deno.writeTextFile(join(dir, "words.txt"), "good\t50\ngreat twenty\n");
    await assert.rejects(loadWordVectors(dir), /words\.txt: line 2 is "great twenty"/);
    await Deno.remove(join(dir, "words.txt"));
    await assert.rejects(loadWordVectors(dir), /words\.txt \(the word list\) not found/);
    await assert.rejects(
      loadWordVectors(join(dir, "nowhere")),
      (e: Error) => e instanceof Deno.errors.NotFound && /nowhere\/words\.txt/.test(e.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parseWords rejects repeated words and empty lists", () => {
  assert.deepEqual(parseWords("a\t1\nb\t2\n", "w.txt").words, ["a", "b"]);
  assert.throws(() => parseWords("a\t1\na\t2\n", "w.txt"), /w\.txt: line 2 repeats the word "a"/);
  assert.throws(() => parseWords("", "w.txt"), /w\.txt: no words/);
});
