import assert from "node:assert/strict";
import { assertSvgSnapshot, assertWellFormedSvg } from "./_test_utils.ts";
import { attackRows, candidates, history, metrics, statRows } from "./_fixtures_test_data.ts";
import { paretoChart } from "./pareto_chart.ts";
import { bestSoFar, fitnessCurve } from "./fitness_curve.ts";
import { statScatter } from "./stat_scatter.ts";
import { presenceBoxplot } from "./presence_boxplot.ts";
import { barChart } from "./bar_chart.ts";
import { lineChart } from "./line_chart.ts";
import { attackBars } from "./attack_bars.ts";
import { heatmap } from "./heatmap.ts";
import { distributionChart } from "./distribution_chart.ts";
import type { Chart } from "./chart.ts";

const charts: Record<string, () => Chart> = {
  paretoChart: () => paretoChart(candidates, { title: "Pareto" }),
  fitnessCurve: () => fitnessCurve(history),
  statScatter: () => statScatter(statRows, { stat: ["hiddenSize", "layers", "attention"] }),
  presenceBoxplot: () => presenceBoxplot(statRows),
  barChart: () => barChart(candidates, { x: (d) => d.id ?? d.name, y: "fitness" }),
  lineChart: () => lineChart(metrics, { y: ["loss", "accuracy"] }),
  attackBars: () => attackBars(attackRows),
  heatmap: () => heatmap([[1, 0.8], [0.8, 1]], ["books", "dvd"], { title: "Similarity" }),
  distributionChart: () =>
    distributionChart({ books: [0.1, 0.5, 0.55, 0.6, 0.9], dvd: [0.3, 0.4, 0.45, 0.7, 0.72] }),
};

for (const [name, make] of Object.entries(charts)) {
  Deno.test(`${name}: standalone SVG matching its snapshot`, async (t) => {
    const chart = make();
    assertWellFormedSvg(chart.svg);
    await assertSvgSnapshot(t, chart.svg);
  });
}

Deno.test("charts render identically twice, whatever was rendered in between", () => {
  const first = Object.values(charts).map((make) => make().svg);
  const second = Object.values(charts).reverse().map((make) => make().svg).reverse();
  assert.deepEqual(second, first);
  // Clip ids are renumbered per chart (Plot's own counter keeps growing across charts).
  const ids = first.join("").match(/id="[^"]+"/g) ?? [];
  assert.ok(ids.length > 0, "stat scatter clips its regression bands");
  assert.ok(ids.every((id) => !/plot-clip-\d+"/.test(id)), ids.join(" "));
});

Deno.test("paretoChart rings the front, labels baselines with a diamond, escapes labels", () => {
  const rows = [...candidates, {
    name: "<script>alert(1)</script>",
    baseline: true,
    params: 5e6,
    accuracy: 0.8,
    robustness: 0.1,
  }];
  const svg = paretoChart(rows).svg;
  // 4 front members (c5, c1, c2, c4) ringed in red: the red dot group holds 4 circles.
  const group = svg.match(
    /<g stroke-width="1.5" stroke="#d62728" fill="none" aria-label="dot">([\s\S]*?)<\/g>/,
  );
  assert.ok(group, "front ring group");
  assert.equal(group[1].match(/<circle /g)?.length, 4);
  assert.ok(svg.includes(">PKD-4L</text>") && svg.includes(">TinyBERT-4</text>"));
  assert.ok(svg.includes("&lt;script&gt;alert(1)&lt;/script&gt;"));
  assert.ok(!svg.includes("<script"));
  assertWellFormedSvg(svg);
  const baselineGroup = svg.match(
    /<g stroke-width="1.2" stroke="black" aria-label="dot">([\s\S]*?)<\/g>/,
  );
  assert.equal(baselineGroup?.[1].match(/<path /g)?.length, 3, "3 baselines drawn as symbol paths");
  const subtitle = svg.match(/Pareto front \(red\) of (\d+) candidates/);
  assert.equal(subtitle?.[1], "6");
});

Deno.test("bestSoFar tracks the running best and marks improvements", () => {
  const pts = bestSoFar([1, 3, 2, 5, Number.NaN, 4]);
  assert.deepEqual(pts.map((p) => p.best), [1, 3, 3, 5, 5]);
  assert.deepEqual(pts.map((p) => p.improved), [true, true, false, true, false]);
  assert.deepEqual(bestSoFar([3, 1, 2], { better: "lower" }).map((p) => p.best), [3, 1, 1]);
});

Deno.test("statScatter titles each panel with Pearson r and n", () => {
  const svg = statScatter(statRows, { stat: "layers" }).svg;
  assert.match(svg, /layers \(r = 0\.9\d, n = 6\)/);
  assert.throws(() => statScatter(statRows, {} as never), /options\.stat/);
});

Deno.test("presenceBoxplot groups by op family by default, by exact op on request", () => {
  const byFamily = presenceBoxplot(statRows).svg;
  assert.ok(byFamily.includes("attention (6/6)") && byFamily.includes("pool (2/6)"));
  const byOp = presenceBoxplot(statRows, { group: "op", op: ["mhsa_4", "conv_3"] }).svg;
  assert.ok(byOp.includes("mhsa_4 (5/6)") && byOp.includes("conv_3 (3/6)"));
});

Deno.test("attackBars puts clean first and prints percentages", () => {
  const svg = attackBars([...attackRows].reverse()).svg;
  const legend = [...svg.matchAll(/dy="0\.32em">(\w+)<\/text>/g)].map((m) => m[1]);
  assert.deepEqual(legend.slice(0, 3), ["clean", "pwws", "textfooler"]);
  assert.ok(svg.includes(">46.0</text>") && svg.includes(">9.0</text>"));
});

Deno.test("chart render time stays small (headless Plot + linkedom)", () => {
  const t0 = performance.now();
  for (const make of Object.values(charts)) make();
  const perChart = (performance.now() - t0) / Object.keys(charts).length;
  assert.ok(perChart < 250, `mean render ${perChart.toFixed(1)} ms per chart`);
});

Deno.test("heatmap and distributionChart refuse bad input with the reason", () => {
  assert.throws(() => heatmap([[1, 2]], ["a"]), /a 1 x 1 matrix is needed/);
  assert.throws(() => distributionChart({}), /no group/);
  assert.throws(() => distributionChart({ a: [1, NaN] }), /finite/);
});
