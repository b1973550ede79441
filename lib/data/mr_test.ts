import assert from "node:assert/strict";
import { loadMr, loadMrAll, loadMrSplits } from "./mr.ts";
import { tempDataRoot } from "./_test_util.ts";

Deno.test("MR: 5,331 + 5,331 sentences decoded as windows-1252", async () => {
  const all = await loadMrAll();
  assert.equal(all.length, 10662);
  assert.equal(all.filter((e) => e.label === 1).length, 5331);
  assert.equal(all[0].label, 1);
  assert.equal(all[5331].label, 0);
  assert.equal(all[5331].source, "data/mr/rt-polarity.neg:1");
  const text = all.map((e) => e.text).join("\n");
  assert.ok(!text.includes("\uFFFD"), "no replacement characters");
  assert.ok(
    !/[\u0080-\u009f]/.test(text),
    "no C1 control characters (they would mean ISO-8859-1 decoding)",
  );
  assert.ok(text.includes("interwoven…"), "0x85 is an ellipsis");
  assert.ok(text.includes("9 ½ weeks"));
  assert.ok(/caf[éè]|é/.test(text));
});

Deno.test(
  "MR: the documented split is deterministic, disjoint, stratified 8,530/1,066/1,066",
  async () => {
    const s = await loadMrSplits();
    assert.deepEqual([s.train.length, s.dev.length, s.test.length], [8530, 1066, 1066]);
    for (const part of [s.train, s.dev, s.test]) {
      assert.equal(part.filter((e) => e.label === 1).length * 2, part.length);
    }
    const sources = new Set([...s.train, ...s.dev, ...s.test].map((e) => e.source));
    assert.equal(sources.size, 10662);
    const again = await loadMr("dev");
    assert.deepEqual(again.map((e) => e.source), s.dev.map((e) => e.source));
    const other = await loadMr("dev", { splitSeed: 7 });
    assert.notDeepEqual(other.map((e) => e.source), s.dev.map((e) => e.source));
  },
);

Deno.test("MR: an empty line is reported with file and line", async () => {
  const root = await tempDataRoot({
    "mr/rt-polarity.pos": "good\n\nfine\n",
    "mr/rt-polarity.neg": "bad\n",
  });
  await assert.rejects(
    loadMrAll({ dataRoot: root }),
    /rt-polarity\.pos: line 2 is invalid: sentence is empty/,
  );
  await Deno.remove(root, { recursive: true });
});

Deno.test("MR: excludeAttackSet drops exactly TextFooler's 1,000 MR sentences", async () => {
  const s = await loadMrSplits();
  const x = await loadMrSplits({ excludeAttackSet: true });
  assert.deepEqual([x.train.length, x.dev.length, x.test.length], [
    8530 - 812,
    1066 - 100,
    1066 - 88,
  ]);
  const before = new Set(s.train.map((e) => e.source));
  assert.ok(x.train.every((e) => before.has(e.source)));
});
