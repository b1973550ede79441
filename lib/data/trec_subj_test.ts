import assert from "node:assert/strict";
import { loadSplit } from "./registry.ts";
import { parseTrecLines } from "./trec.ts";
import { loadSubjSplits } from "./subj.ts";
import { loadTrecSplits } from "./trec.ts";

const count = (xs: { label: number }[], k: number) => xs.filter((x) => x.label === k).length;

Deno.test("TREC: 4,907 / 545 / 500, six classes, windows-1252 decoded", async () => {
  const s = await loadTrecSplits();
  assert.deepEqual([s.train.length, s.dev.length, s.test.length], [4907, 545, 500]);
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((k) => count(s.test, k)), [9, 138, 94, 65, 81, 113]);
  assert.ok(s.train.concat(s.dev).some((e) => e.text.includes("sisterðcity")));
  const dev = new Set(s.dev.map((e) => e.source));
  assert.ok(s.train.every((e) => !dev.has(e.source)));
  assert.deepEqual(await loadSplit("trec", "dev"), s.dev);
});

Deno.test("TREC lines: a bad class or a missing question names the file and line", () => {
  const f = "data/trec/x";
  assert.deepEqual(parseTrecLines([{ text: "NUM:dist How far ?", line: 1 }], f), [
    { text: "How far ?", label: 5, source: `${f}:1` },
  ]);
  assert.throws(
    () => parseTrecLines([{ text: "FOO:bar What ?", line: 7 }], f),
    /data\/trec\/x: line 7 has class "FOO"; expected one of ABBR, DESC/,
  );
  assert.throws(() => parseTrecLines([{ text: "NUM:dist", line: 2 }], f), /line 2 is not/);
  assert.throws(() => parseTrecLines([], f), /no question/);
});

Deno.test("SUBJ: stratified 8,000 / 1,000 / 1,000, disjoint", async () => {
  const s = await loadSubjSplits();
  assert.deepEqual([s.train.length, s.dev.length, s.test.length], [8000, 1000, 1000]);
  for (const part of [s.train, s.dev, s.test]) assert.equal(count(part, 1), part.length / 2);
  const seen = new Set(s.train.map((e) => e.source));
  for (const e of [...s.dev, ...s.test]) assert.ok(!seen.has(e.source));
  assert.ok(s.train.concat(s.dev, s.test).some((e) => /[éè…]/.test(e.text)));
});
