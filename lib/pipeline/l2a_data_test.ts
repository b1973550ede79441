import assert from "node:assert/strict";
import { loadMrSplits, loadTextFooler, OverlapIndex, sentenceKey } from "../data/mod.ts";
import { l2aData, leakCheck } from "./l2a_data.ts";

Deno.test("L2A data: no MR test or TextFooler MR sentence in any training pool", async () => {
  const d = await l2aData({ seed: 42 });
  const mr = await loadMrSplits();
  const attack = await loadTextFooler("mr");
  const testKeys = new Set([...mr.test, ...attack].map((e) => sentenceKey(e.text)));
  const devKeys = new Set(mr.dev.map((e) => sentenceKey(e.text)));
  const target = d.target(1000);
  assert.equal(target.length, 1000);
  const pos = target.filter((e) => e.label === 1).length;
  assert.ok(Math.abs(pos - 500) <= 2, `stratified: ${pos} positive`);
  const small = d.target(100);
  const inLarge = new Set(target.map((e) => e.text));
  assert.ok(small.every((e) => inLarge.has(e.text)), "100 is a subset of 1000");
  for (const e of [...target, ...d.sourceEligible]) {
    assert.ok(!testKeys.has(sentenceKey(e.text)), `test or attack sentence in a pool: ${e.text}`);
  }
  assert.ok(target.every((e) => !devKeys.has(sentenceKey(e.text))), "dev kept apart");
  await leakCheck(target, "target");
  await leakCheck(d.sourceEligible, "source");
  // no 6-word piece of a test sentence in the source either
  const index = new OverlapIndex(mr.test.map((e) => e.text));
  assert.ok(d.sourceEligible.every((e) => !index.overlaps(e.text)));
  assert.ok(d.sourceEligible.length > 4000, `${d.sourceEligible.length} source sentences`);
  // the test split is MR test without the attack set; about 40% of it is unseen by SST-2 train
  assert.equal(d.test.length, d.unseen.length);
  assert.ok(
    d.test.every((e) => !new Set(attack.map((a) => sentenceKey(a.text))).has(sentenceKey(e.text))),
  );
  const share = d.unseen.filter(Boolean).length / d.unseen.length;
  assert.ok(share > 0.3 && share < 0.5, `unseen share ${share}`);
  // the check can fail: a pool with a test sentence in it
  await assert.rejects(
    () => leakCheck([...target, { ...mr.test[3], source: "here" }], "bad"),
    /MR test/,
  );
  assert.throws(() => d.target(1001), /target size/);
});
