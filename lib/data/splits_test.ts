import assert from "node:assert/strict";
import { heldOutSplit, sampleSubset, stratifiedCounts } from "./splits.ts";
import { loadSst2 } from "./sst2.ts";

const toy = (n: number, labelOf: (i: number) => number) =>
  Array.from({ length: n }, (_, i) => ({ id: i, label: labelOf(i) }));

Deno.test("heldOutSplit: exact size, stratified, disjoint, input order, deterministic", () => {
  const ex = toy(1000, (i) => (i % 10 < 3 ? 1 : 0)); // 30% positive
  const a = heldOutSplit(ex, { fraction: 0.1, seed: 42 });
  assert.equal(a.validation.length, 100);
  assert.equal(a.train.length, 900);
  assert.equal(a.validation.filter((e) => e.label === 1).length, 30);
  const ids = [...a.train, ...a.validation].map((e) => e.id).sort((x, y) => x - y);
  assert.deepEqual(ids, ex.map((e) => e.id));
  assert.ok(
    a.validation.every((e, k) => k === 0 || a.validation[k - 1].id < e.id),
    "input order kept",
  );
  const b = heldOutSplit(ex, { fraction: 0.1, seed: 42 });
  assert.deepEqual(b.validation.map((e) => e.id), a.validation.map((e) => e.id));
  const c = heldOutSplit(ex, { fraction: 0.1, seed: 43 });
  assert.notDeepEqual(c.validation.map((e) => e.id), a.validation.map((e) => e.id));
  assert.equal(heldOutSplit(ex, { size: 7, seed: 1 }).validation.length, 7);
  assert.throws(
    () => heldOutSplit(ex, { fraction: 1.5, seed: 1 }),
    /fraction must be in \(0, 1\), got 1.5/,
  );
  assert.throws(
    () => heldOutSplit(ex, { size: 1001, seed: 1 }),
    /size must be an integer in \[0, 1000\]/,
  );
});

Deno.test("stratifiedCounts: largest remainder sums to the size", () => {
  const counts = stratifiedCounts(new Map([[0, 1], [1, 1], [2, 1]]), 2);
  assert.deepEqual([...counts.entries()], [[0, 1], [1, 1], [2, 0]]);
  const c2 = stratifiedCounts(new Map([[0, 428], [1, 444]]), 100);
  assert.equal(c2.get(0)! + c2.get(1)!, 100);
  assert.deepEqual([c2.get(0), c2.get(1)], [49, 51]);
});

Deno.test("sampleSubset: stratified or uniform, deterministic", async () => {
  const dev = await loadSst2("dev");
  const s = sampleSubset(dev, 100, { seed: 3 });
  assert.equal(s.length, 100);
  assert.equal(s.filter((e) => e.label === 1).length, 51);
  assert.deepEqual(sampleSubset(dev, 100, { seed: 3 }), s);
  const u = sampleSubset(dev, 100, { seed: 3, stratify: false });
  assert.equal(u.length, 100);
  assert.equal(new Set(u).size, 100);
  assert.throws(
    () => sampleSubset(dev, 873, { seed: 1 }),
    /n must be an integer in \[0, 872\], got 873/,
  );
});

Deno.test(
  "heldOutSplit on SST-2 train leaves dev untouched and keeps the label balance",
  async () => {
    const train = await loadSst2("train");
    const { train: t, validation: v } = heldOutSplit(train, { size: 2000, seed: 0 });
    assert.equal(t.length + v.length, 67349);
    const posShare = train.filter((e) => e.label === 1).length / train.length;
    assert.ok(Math.abs(v.filter((e) => e.label === 1).length / 2000 - posShare) < 0.001);
  },
);
