import assert from "node:assert/strict";
import { Prng } from "../random/mod.ts";
import { genomeHash } from "./canonical.ts";
import { countParams } from "./count.ts";
import { crossover } from "./crossover.ts";
import { mutate } from "./mutate.ts";
import { sampleGenome } from "./sample.ts";
import { createSearchSpace, DEFAULT_SEARCH_SPACE } from "./space.ts";
import { genomeErrors } from "./validate.ts";

Deno.test("sampleGenome: valid, seeded, varied", () => {
  const a = Array.from(
    { length: 50 },
    ((p) => () => sampleGenome(DEFAULT_SEARCH_SPACE, p))(Prng.fromSeed(3)),
  );
  const b = Array.from(
    { length: 50 },
    ((p) => () => sampleGenome(DEFAULT_SEARCH_SPACE, p))(Prng.fromSeed(3)),
  );
  assert.deepEqual(a, b);
  for (const g of a) assert.deepEqual(genomeErrors(g), []);
  assert.ok(new Set(a.map(genomeHash)).size >= 45);
  assert.ok(new Set(a.map((g) => g.cells.length)).size >= 4);
});

Deno.test("sampleGenome respects compression bounds; impossible bounds give a clear error", () => {
  const teacherParams = 11_171_074; // 4 x 256 BERT with a 30,522 vocabulary
  const space = createSearchSpace({ teacherParams, minRatio: 3, maxRatio: 10 });
  const prng = Prng.fromSeed(5);
  for (let i = 0; i < 100; i++) {
    const r = teacherParams / countParams(sampleGenome(space, prng), space.sizeContext);
    assert.ok(r >= 3 && r <= 10, `ratio ${r}`);
  }
  const impossible = createSearchSpace({ teacherParams: 1000, minRatio: 3 });
  assert.throws(
    () => sampleGenome(impossible, prng, { maxTries: 20 }),
    /compression bounds reachable/,
  );
});

Deno.test("mutate: always valid and different, seeded, one small change", () => {
  const space = createSearchSpace({ teacherParams: 11_171_074 });
  const prng = Prng.fromSeed(9);
  let g = sampleGenome(space, prng);
  const seen = new Set<string>();
  for (let i = 0; i < 300; i++) {
    const child = mutate(g, space, prng);
    assert.deepEqual(genomeErrors(child, space), []);
    assert.notEqual(genomeHash(child), genomeHash(g));
    // one change: sizes or cells count differ in at most one field
    const diffs = [
      child.embeddingSize !== g.embeddingSize,
      child.hiddenSize !== g.hiddenSize,
      child.cells.length !== g.cells.length,
    ];
    assert.ok(diffs.filter(Boolean).length <= 1);
    seen.add(genomeHash(child));
    g = child;
  }
  assert.ok(seen.size > 250);
  const again = mutate(sampleGenome(space, Prng.fromSeed(1)), space, Prng.fromSeed(2));
  assert.deepEqual(again, mutate(sampleGenome(space, Prng.fromSeed(1)), space, Prng.fromSeed(2)));
});

Deno.test("crossover: valid children mixing both parents", () => {
  const prng = Prng.fromSeed(4);
  let mixed = 0;
  for (let i = 0; i < 100; i++) {
    const a = sampleGenome(DEFAULT_SEARCH_SPACE, prng);
    const b = sampleGenome(DEFAULT_SEARCH_SPACE, prng);
    const c = crossover(a, b, DEFAULT_SEARCH_SPACE, prng);
    assert.deepEqual(genomeErrors(c), []);
    const fromA = c.cells.some((cell, k) => JSON.stringify(cell) === JSON.stringify(a.cells[k]));
    const fromB = c.cells.some((cell, k) => JSON.stringify(cell) === JSON.stringify(b.cells[k]));
    if (fromA && fromB) mixed++;
  }
  assert.ok(mixed > 30, `mixed ${mixed}`);
});
