import assert from "node:assert/strict";
import {
  bucketBatches,
  encodeBatch,
  encodeExamples,
  paddingFraction,
  plainBatches,
} from "./batching.ts";
import { createBertTokenizer } from "./tokenizer.ts";
import { loadSst2 } from "./sst2.ts";
import { loadMrpc } from "./mrpc.ts";
import type { Example } from "./types.ts";

Deno.test("encodeBatch: pads to the longest row, with mask, token types and labels", async () => {
  const tok = await createBertTokenizer();
  const ex: Example[] = [
    { text: "hello, world!", label: 1 },
    { text: "the cat", textB: "a dog", label: 0 },
    { text: "hi", label: 1 },
  ];
  const b = encodeBatch(ex, tok, { maxLength: 16 });
  assert.equal(b.batchSize, 3);
  assert.equal(b.seqLen, 7);
  assert.deepEqual([...b.inputIds.subarray(0, 7)], [101, 7592, 1010, 2088, 999, 102, 0]);
  assert.deepEqual([...b.inputIds.subarray(7, 14)], [101, 1996, 4937, 102, 1037, 3899, 102]);
  assert.deepEqual([...b.tokenTypeIds.subarray(7, 14)], [0, 0, 0, 0, 1, 1, 1]);
  assert.deepEqual([...b.attentionMask.subarray(14)], [1, 1, 1, 0, 0, 0, 0]);
  assert.deepEqual([...b.labels!], [1, 0, 1]);
  assert.deepEqual(b.indices, [0, 1, 2]);
  const m = encodeBatch(ex, tok, { maxLength: 16, padToMultipleOf: 8 });
  assert.equal(m.seqLen, 8);
  assert.equal(encodeBatch(ex, tok, { maxLength: 4 }).seqLen, 4);
  assert.throws(() => encodeBatch([], tok), /0 examples/);
});

Deno.test(
  "bucketBatches: every example once, deterministic, less padding than plain batches",
  async () => {
    const tok = await createBertTokenizer();
    const dev = await loadSst2("dev");
    const a = bucketBatches(dev, tok, { batchSize: 32, seed: 1, poolSize: 320 });
    const seen = a.flatMap((b) => b.indices).sort((x, y) => x - y);
    assert.deepEqual(seen, dev.map((_, i) => i));
    // one short batch
    assert.deepEqual(a.filter((b) => b.batchSize !== 32).map((b) => b.batchSize), [872 % 32]);
    for (const b of a) {
      b.indices.forEach((src, row) => assert.equal(b.labels![row], dev[src].label));
    }
    const again = bucketBatches(dev, tok, { batchSize: 32, seed: 1, poolSize: 320 });
    assert.deepEqual(again.map((b) => b.indices), a.map((b) => b.indices));
    assert.deepEqual(again[3].inputIds, a[3].inputIds);
    const other = bucketBatches(dev, tok, { batchSize: 32, seed: 2, poolSize: 320 });
    assert.notDeepEqual(other.map((b) => b.indices), a.map((b) => b.indices));
    const plain = plainBatches(dev, tok, { batchSize: 32, seed: 1 });
    assert.equal(plain.length, a.length);
    const pb = paddingFraction(a);
    const pp = paddingFraction(plain);
    assert.ok(pb < pp / 3, `bucketed ${pb} vs plain ${pp}`);
    const wide = paddingFraction(
      bucketBatches(dev, tok, { batchSize: 32, seed: 1, poolSize: 320, bucketWidth: 8 }),
    );
    assert.ok(wide >= pb && wide < pp, `bucketWidth 8: ${wide}`);
    assert.throws(() => bucketBatches(dev, tok, {}), /needs a seed or a prng/);
    const ordered = bucketBatches(dev, tok, { shuffle: false, poolSize: Infinity });
    assert.ok(
      ordered.every((b, k) => k === 0 || b.seqLen >= ordered[k - 1].seqLen),
      "no shuffle: sorted by length",
    );
  },
);

Deno.test("bucketBatches: sentence pairs keep their token types", async () => {
  const tok = await createBertTokenizer();
  const dev = (await loadMrpc("dev")).slice(0, 64);
  const bs = bucketBatches(dev, tok, { batchSize: 16, seed: 0, maxLength: 128 });
  for (const b of bs) {
    for (let r = 0; r < b.batchSize; r++) {
      const row = b.tokenTypeIds.subarray(r * b.seqLen, (r + 1) * b.seqLen);
      const mask = b.attentionMask.subarray(r * b.seqLen, (r + 1) * b.seqLen);
      assert.equal(row[0], 0);
      assert.ok(row.some((v) => v === 1));
      row.forEach((v, i) => mask[i] === 0 && assert.equal(v, 0));
    }
  }
});

Deno.test("encodeExamples: SST-2 train encodes in a few seconds and is cached", async () => {
  const tok = await createBertTokenizer();
  const train = await loadSst2("train");
  const t0 = performance.now();
  const enc = encodeExamples(train, tok, { maxLength: 64 });
  const first = performance.now() - t0;
  const t1 = performance.now();
  const again = encodeExamples(train, tok, { maxLength: 64 });
  const cached = performance.now() - t1;
  assert.equal(enc.length, 67349);
  assert.equal(again[123], enc[123]); // the same cached object
  assert.ok(first < 8000, `encoding took ${first.toFixed(0)} ms`);
  assert.ok(cached < first / 5, `cached pass ${cached.toFixed(0)} ms vs ${first.toFixed(0)} ms`);
  const other = encodeExamples(train.slice(0, 10), tok, { maxLength: 8 });
  assert.ok(other.every((e) => e.ids.length <= 8));
  console.log(
    `SST-2 train: ${train.length} rows encoded in ${first.toFixed(0)} ms, cached ${
      cached.toFixed(0)
    } ms`,
  );
});
