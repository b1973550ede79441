import assert from "node:assert/strict";
import { mcnemar } from "../stats/mod.ts";
import { kdnasMarkdown, type KdNasModelInput, kdnasTable } from "./kdnas_table.ts";

const lat = (b1: number, b32: number) => ({
  b1: { batchSize: 1, medianMs: b1, minMs: b1 - 0.5, maxMs: b1 + 0.5 },
  b32: { batchSize: 32, medianMs: b32, minMs: b32 - 1, maxMs: b32 + 1 },
});
const model = (
  name: string,
  kind: KdNasModelInput["kind"],
  correct: number,
  b1: number,
  b32: number,
): KdNasModelInput => ({
  name,
  kind,
  description: name,
  params: 1e6,
  devCorrect: "1".repeat(correct) + "0".repeat(100 - correct),
  latencies: lat(b1, b32),
});

Deno.test("KD-NAS table: speed-ups, accuracy retained, paired test vs hand-crafted", () => {
  const t = kdnasTable([
    model("found", "found", 76, 2, 40),
    model("hand", "hand-crafted", 70, 4, 80),
    model("teacher", "teacher", 80, 32, 640),
  ], ["b1", "b32"]);
  const found = t.rows[0];
  assert.equal(found.speedup.b1, 16);
  assert.equal(found.speedup.b32, 16);
  assert.ok(Math.abs(found.retained - 0.95) < 1e-12);
  assert.equal(t.rows[2].retained, 1);
  const [c] = t.comparisons;
  assert.equal(c.b, 6); // found right on examples 70..75, hand-crafted never alone
  assert.equal(c.c, 0);
  assert.equal(c.pValue, mcnemar(6, 0).pValue);
  assert.match(c.sentence, /^found is more accurate than hand \(\+6\.0 points; 6 vs 0/);
  const md = kdnasMarkdown(t, "# h");
  assert.match(md, /\| found \| found \| 1\.00M \| 76\.0 \[/);
  assert.match(
    md,
    /\| 2\.0 \[1\.5, 2\.5\] \| 40\.0 \[39\.0, 41\.0\] \| 16\.00x \| 16\.00x \| 95\.0% \|/,
  );
  const chance = kdnasTable([model("x", "found", 50, 1, 1), model("t", "teacher", 80, 2, 2)], [
    "b1",
  ]);
  assert.match(kdnasMarkdown(chance, "#"), /\| x ⚠ at chance \|/);
  assert.throws(() => kdnasTable([model("x", "found", 50, 1, 1)], ["b1"]), /no teacher row/);
});
