import assert from "node:assert/strict";
import { createRun } from "../../lib/track/mod.ts";
import { DEFAULT_SEARCH_SPACE, sampleGenome } from "../../lib/search_space/mod.ts";
import { Prng } from "../../lib/random/mod.ts";
import { buildReport } from "./build_report.ts";
import { attackRecordsOf, candidatesOf, metricRows, ranked } from "./_records.ts";

const SCRIPT = "document.documentElement.dataset.reportScript='ready'";

async function fixture(root: string, withCandidates: boolean) {
  const run = await createRun("report_unit", {
    root,
    seed: 2,
    params: { title: "<script>x()</script>" },
  });
  for (let s = 1; s <= 5; s++) run.logMetric("loss", 1 / s, { step: s });
  if (withCandidates) {
    const prng = Prng.fromSeed(1);
    [0.5, 0.9, 0.7].forEach((fitness, i) =>
      run.appendRecord({
        key: `c${i}`,
        kind: "candidate",
        status: "ok",
        id: i,
        evaluation: i + 1,
        genome: sampleGenome(DEFAULT_SEARCH_SPACE, prng),
        fitness,
        metrics: { cleanAccuracy: 0.8, robustness: 0.2 + i / 10, compression: 5 + i, params: 1e6 },
      })
    );
  }
  run.appendRecord({
    key: "a0",
    index: 0,
    resultType: "SUCCEEDED",
    groundTruth: 0,
    originalText: "good <em>film</em>",
    perturbedText: "fine <em>film</em>",
    originalOutput: [0.9, 0.1],
    perturbedOutput: [0.4, 0.6],
    numQueries: 5,
    numWords: 2,
    numWordsChanged: 1,
    perturbedWordPercent: 50,
    modifiedIndices: [0],
  });
  run.finish("finished", { note: "done" });
  return run.dir;
}

Deno.test("report: sections, escaping, CSP with the script's hash, one script", async () => {
  const root = Deno.makeTempDirSync({ prefix: "report_unit_" });
  try {
    const dir = await fixture(root, true);
    const html = await buildReport(dir, {
      script: SCRIPT,
      now: () => new Date("2026-01-02T03:04:05Z"),
    });
    for (const id of ["run", "leaderboard", "charts", "architectures", "attacks"]) {
      assert.ok(html.includes(`<section id="${id}"`), `section ${id}`);
    }
    assert.ok(
      !html.includes("<script>x()</script>") && html.includes("&lt;script&gt;x()&lt;/script&gt;"),
    );
    assert.ok(!html.includes("<em>film</em>") && html.includes("&lt;em&gt;film&lt;/em&gt;"));
    assert.equal(html.match(/<script>/g)?.length, 1);
    const hash = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(SCRIPT));
    const b64 = btoa(String.fromCharCode(...new Uint8Array(hash)));
    assert.ok(html.includes(`script-src 'sha256-${b64}'`), "CSP allows exactly the bundled script");
    assert.ok(html.includes("generated 2026-01-02T03:04:05.000Z"));
    // Leaderboard best first; three architecture diagrams at most (three candidates here).
    const fitness = [
      ...html.matchAll(
        new RegExp(
          String.raw`<tr><td class="num" data-sort="\d+">\d+<\/td><td>[^<]*<\/td>` +
            String.raw`<td class="num" data-sort="([\d.]+)"`,
          "g",
        ),
      ),
    ]
      .map((m) => Number(m[1]));
    assert.deepEqual(fitness, [0.9, 0.7, 0.5]);
    assert.equal(html.match(/<figure class="arch">/g)?.length, 3);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("report: a run without candidates or charts has no empty sections", async () => {
  const root = Deno.makeTempDirSync({ prefix: "report_unit_" });
  try {
    const dir = await fixture(root, false);
    const html = await buildReport(dir, { script: SCRIPT });
    assert.ok(!html.includes('id="leaderboard"') && !html.includes('id="architectures"'));
    assert.ok(html.includes('id="charts"'), "the metrics chart");
    assert.ok(html.includes('id="attacks"'));
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
});

Deno.test("records: candidates normalised, ranked; attack records and metric rows picked", () => {
  const records = [
    { kind: "candidate", status: "failed", id: 3, fitness: null, metrics: null },
    {
      kind: "candidate",
      status: "ok",
      id: 1,
      fitness: 1.2,
      metrics: { cleanAccuracy: 0.9, robustness: "x" },
    },
    { name: "other", genome: { embeddingSize: 1, hiddenSize: 1, cells: [] }, fitness: 2 },
    { originalText: "a", perturbedText: "b", resultType: "FAILED", numQueries: 1, numWords: 1 },
    { originalText: "a", perturbedText: "b", resultType: "NOPE", numQueries: 1, numWords: 1 },
  ];
  const c = candidatesOf(records);
  assert.deepEqual(c.map((x) => x.label), ["#3", "#1", "other"]);
  assert.equal(c[1].accuracy, 0.9);
  assert.equal(c[1].robustness, null, "non-numbers are dropped");
  assert.deepEqual(ranked(c).map((x) => x.label), ["other", "#1", "#3"]);
  assert.equal(attackRecordsOf(records).length, 1);
  const m = metricRows([
    { name: "loss", value: 1, step: 1, context: {}, time: "" },
    { name: "loss", value: 0.5, step: 2, context: {}, time: "" },
    { name: "once", value: 3, step: 1, context: {}, time: "" },
    { name: "acc", value: 0.5, step: 1, context: { split: "dev" }, time: "" },
    { name: "acc", value: NaN, step: 2, context: { split: "dev" }, time: "" },
  ]);
  assert.deepEqual(m.names, ["loss"]);
  assert.equal(m.rows.length, 2);
});
