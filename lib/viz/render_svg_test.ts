import assert from "node:assert/strict";
import * as Plot from "@observablehq/plot";
import { renderSvg, renderSvgGrid, stableIds } from "./render_svg.ts";
import { roundNumbers } from "./_serialize.ts";
import { assertWellFormedSvg } from "./_test_utils.ts";

const data = [
  { a: 1, b: 2.123456, c: 'x<&>"' },
  { a: 2, b: 3.333333, c: "y" },
  { a: 3, b: 3, c: "y" },
];

Deno.test("renderSvg: one standalone <svg> with xmlns, title, legend and escaped data", () => {
  const svg = renderSvg({
    title: "T <b>",
    caption: "cap & co",
    color: { legend: true },
    symbol: { legend: true },
    marks: [
      Plot.dot(data, { x: "a", y: "b", fill: "c", symbol: "c" }),
      Plot.text(data, { x: "a", y: "b", text: "c" }),
    ],
  });
  assertWellFormedSvg(svg);
  assert.ok(!svg.includes("<figure") && !svg.includes("<div"), "no HTML wrapper");
  assert.ok(svg.includes(">T &lt;b&gt;</text>"));
  assert.ok(svg.includes(">cap &amp; co</text>"));
  assert.ok(svg.includes('aria-label="legend"') && svg.includes(">x&lt;&amp;&gt;&quot;</text>"));
  assert.equal(svg.match(/<svg/g)?.length, 1, "Plot's svg is inlined as a group");
});

Deno.test("renderSvg: continuous colour legend works without a canvas (gradient image)", () => {
  const svg = renderSvg({
    color: { legend: true, scheme: "viridis" },
    marks: [Plot.dot(data, { x: "a", y: "b", fill: "b" })],
  });
  assertWellFormedSvg(svg);
  // linkedom writes Plot's xlink:href as SVG 2 `href` (browsers and librsvg accept both).
  const uri = svg.match(/ (?:xlink:)?href="data:image\/svg\+xml;base64,([^"]+)"/);
  assert.ok(uri, "ramp image");
  assert.match(atob(uri[1]), /<linearGradient id="g"><stop offset="0%" stop-color="#440154"/);
});

Deno.test("renderSvg: decimals in geometry are rounded to 2 digits; text is not touched", () => {
  const svg = renderSvg({
    marks: [Plot.dot(data, { x: "a", y: "b" }), Plot.text(["0.123456"], { frameAnchor: "middle" })],
  });
  const attrs = [...svg.matchAll(/ (?:d|transform|x|y|cx|cy)="([^"]*)"/g)].map((m) => m[1]).join(
    " ",
  );
  assert.doesNotMatch(attrs, /\d\.\d{3}/);
  assert.ok(svg.includes(">0.123456</text>"));
  const raw = renderSvg({ marks: [Plot.dot(data, { x: "a", y: "b" })] }, { digits: null });
  assert.match(raw, /\d\.\d{3}/);
});

Deno.test("renderSvgGrid: charts side by side with their own titles", () => {
  const one = (t: string) => ({
    title: t,
    width: 200,
    height: 150,
    marks: [Plot.dot(data, { x: "a", y: "b" })],
  });
  const svg = renderSvgGrid([one("A"), one("B"), one("C")], { columns: 2, title: "grid" });
  assertWellFormedSvg(svg);
  assert.match(svg, /^<svg[^>]* width="408"/); // 2 x 200 + gap 8
  for (const t of ["A", "B", "C", "grid"]) assert.ok(svg.includes(`>${t}</text>`));
});

Deno.test("stableIds renumbers counter ids with a content-hash prefix", () => {
  const a = stableIds(
    '<svg><clipPath id="plot-clip-17"/><g clip-path="url(#plot-clip-17)"/></svg>',
  );
  const b = stableIds('<svg><clipPath id="plot-clip-3"/><g clip-path="url(#plot-clip-3)"/></svg>');
  assert.equal(a, b);
  assert.match(a, /id="p[0-9a-f]{8}-clip-1"/);
  assert.match(a, /url\(#p[0-9a-f]{8}-clip-1\)/);
  const c = stableIds('<svg><rect/><clipPath id="plot-clip-1"/></svg>');
  assert.notEqual(
    c.match(/p[0-9a-f]{8}/)?.[0],
    a.match(/p[0-9a-f]{8}/)?.[0],
    "different charts, different prefix",
  );
});

Deno.test("roundNumbers rounds decimals and exponents, keeps integers, no -0", () => {
  assert.equal(roundNumbers("M1.23456,-0.001L10,2e-7 3.14159e2"), "M1.23,0L10,0 314.16");
  assert.equal(roundNumbers("#e5e5e5 #1e3 #4269d0 1.5e5"), "#e5e5e5 #1e3 #4269d0 150000");
});
