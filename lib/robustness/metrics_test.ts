import assert from "node:assert/strict";
import { attackMetrics, formatPy2, summaryTable } from "./metrics.ts";
import type { ResultStats } from "./attack_result.ts";

const r = (
  resultType: ResultStats["resultType"],
  numQueries: number,
  numWords: number,
  numWordsChanged: number,
): ResultStats => ({
  resultType,
  numQueries,
  numWords,
  numWordsChanged,
});

// 6 examples: 3 succeeded, 1 failed, 1 ran out of queries (counts as failed), 1 skipped.
const results = [
  r("SUCCEEDED", 10, 10, 1), // 10%
  r("SUCCEEDED", 20, 8, 2), // 25%
  r("SUCCEEDED", 30, 4, 0), // 0%: left out of the perturbed-word average, as in TextAttack
  r("FAILED", 40, 20, 3), // changed words of failed attacks never count
  r("MAXIMIZED_QUERIES", 50, 6, 1),
  r("SKIPPED", 1, 12, 0), // queries of skipped examples never count; its words do
];

Deno.test("metrics follow TextAttack's definitions (hand-computed golden values)", () => {
  const m = attackMetrics(results);
  assert.equal(m.total, 6);
  assert.equal(m.succeeded, 3);
  assert.equal(m.failed, 2);
  assert.equal(m.skipped, 1);
  assert.equal(m.maximizedQueries, 1);
  assert.equal(m.originalAccuracy, (5 * 100) / 6); // (6 - 1 skipped) / 6 = 83.33%
  assert.equal(m.accuracyUnderAttack, (2 * 100) / 6); // 2 failed / 6 = 33.33%
  assert.equal(m.attackSuccessRate, 60); // 3 / (3 + 2)
  assert.equal(m.avgPerturbedWordPercent, 17.5); // mean(10, 25)
  assert.equal(m.avgWordsPerInput, 10); // (10 + 8 + 4 + 20 + 6 + 12) / 6 = 60 / 6
  assert.equal(m.avgNumQueries, 30); // (10 + 20 + 30 + 40 + 50) / 5
});

Deno.test("edge cases: nothing attacked, everything skipped", () => {
  const none = attackMetrics([]);
  assert.ok(Number.isNaN(none.originalAccuracy));
  const skipped = attackMetrics([r("SKIPPED", 1, 5, 0)]);
  assert.equal(skipped.originalAccuracy, 0);
  assert.equal(skipped.attackSuccessRate, 0);
  assert.ok(Number.isNaN(skipped.avgNumQueries) && Number.isNaN(skipped.avgPerturbedWordPercent));
  assert.throws(
    () => attackMetrics([{ ...r("FAILED", 1, 1, 0), resultType: "LOST" as "FAILED" }]),
    /unknown resultType "LOST"/,
  );
});

Deno.test("Python-style rounding and the summary table layout", () => {
  assert.equal(formatPy2(100), "100.0");
  assert.equal(formatPy2(83.33333), "83.33");
  assert.equal(formatPy2(17.5), "17.5");
  assert.equal(formatPy2(NaN), "nan");
  assert.equal(
    summaryTable(results),
    [
      "+-------------------------------+--------+",
      "| Attack Results                |        |",
      "+-------------------------------+--------+",
      "| Number of successful attacks: | 3      |",
      "| Number of failed attacks:     | 2      |",
      "| Number of skipped attacks:    | 1      |",
      "| Original accuracy:            | 83.33% |",
      "| Accuracy under attack:        | 33.33% |",
      "| Attack success rate:          | 60.0%  |",
      "| Average perturbed word %:     | 17.5%  |",
      "| Average num. words per input: | 10.0   |",
      "| Avg num queries:              | 30.0   |",
      "+-------------------------------+--------+",
    ].join("\n"),
  );
});
