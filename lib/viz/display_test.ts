import assert from "node:assert/strict";
import { Table } from "./table.ts";
import { Chart } from "./chart.ts";
import { AttackedExampleView, diffWords, words } from "./attacked_example_view.ts";
import { RunSummary } from "./run_summary.ts";
import { Leaderboard } from "./leaderboard.ts";
import { candidates, statRows } from "./_fixtures_test_data.ts";
import { renderSvg } from "./render_svg.ts";
import { DENO_INSPECT, JUPYTER_DISPLAY } from "./_display.ts";

const EVIL = `a <script>alert("x")</script> & <b>bold</b> 'q'`;
const ESCAPED =
  `a &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt; &#39;q&#39;`;

/** Every display object's HTML must show EVIL as text: escaped, with no live tag left. */
function assertEscaped(html: string) {
  assert.ok(html.includes(ESCAPED) || html.includes("&lt;script&gt;"), html.slice(0, 300));
  assert.ok(!html.includes("<script") && !html.includes("<b>bold"), "raw markup leaked");
}

Deno.test("Table: HTML escapes cells, headers and caption; text is aligned", () => {
  const t = new Table(
    [{ name: EVIL, acc: 0.877, params: 4_100_000 }, { name: "short", acc: 0.5, params: 12 }],
    { caption: EVIL, percent: ["acc"] },
  );
  const html = t.toHtml();
  assertEscaped(html);
  assert.ok(html.includes(">87.7%</td>") && html.includes(">4.10M</td>"));
  const text = t.toString().split("\n");
  assert.equal(
    text[1],
    "name" + " ".repeat(text[1].indexOf("acc") - 4) + text[1].slice(text[1].indexOf("acc")),
  );
  // numbers right-aligned: the last characters of the params column line up
  assert.ok(text[3].endsWith("4.10M") && text[4].endsWith("   12"));
  const bundle = t[JUPYTER_DISPLAY]();
  assert.equal(bundle["text/plain"], t.toString());
  assert.equal(t[DENO_INSPECT](), t.toString());
  assert.equal(Deno.inspect(t), t.toString());
});

Deno.test("Table: maxRows truncates with a count", () => {
  const rows = Array.from({ length: 7 }, (_, i) => ({ i }));
  const t = new Table(rows, { maxRows: 3 });
  assert.match(t.toString(), /… 4 more rows$/);
  assert.equal(t.toHtml().match(/<tr>/g)?.length, 1 + 3 + 1);
});

Deno.test("Chart: image/svg+xml bundle, size, data URL, rejects non-SVG", () => {
  const c = new Chart(renderSvg({ width: 300, height: 200, marks: [] }), { title: EVIL });
  const bundle = c[JUPYTER_DISPLAY]();
  assert.equal(bundle["image/svg+xml"], c.svg);
  assert.deepEqual(c.size, { width: 300, height: 200 });
  assert.match(String(c), /^Chart ".*" \(300x200 SVG, [\d.]+ kB\)$/);
  assert.equal(
    new TextDecoder().decode(
      Uint8Array.from(atob(c.toDataUrl().split(",")[1]), (ch) => ch.charCodeAt(0)),
    ),
    c.svg,
  );
  assertEscaped(c.toHtml().slice(0, c.toHtml().indexOf("<svg")));
  assert.throws(() => new Chart("<div></div>"), /<svg/);
});

Deno.test("AttackedExampleView: highlights changed words, escapes the sentence", () => {
  const v = new AttackedExampleView({
    original: `the film is <script>great</script> fun`,
    perturbed: `the movie is <script>great</script> boring`,
    originalLabel: 1,
    perturbedLabel: 0,
    labelNames: ["negative", "positive"],
    originalScore: 0.93,
    perturbedScore: 0.61,
    status: "success",
  });
  const html = v.toHtml();
  assert.ok(!html.includes("<script"), "sentence markup shown as text");
  assert.ok(html.includes("&lt;script&gt;great&lt;/script&gt;"));
  assert.equal(html.match(/<mark /g)?.length, 4); // film, fun / movie, boring
  assert.ok(html.includes(">movie</mark>") && html.includes(">film</mark>"));
  assert.match(String(v), /^positive \(93\.0%\) --> negative \(61\.0%\)/);
  assert.ok(String(v).includes("the [[movie]] is <script>great</script> [[boring]]"));
});

Deno.test("AttackedExampleView: modifiedIndices win over the diff; LCS diff for insertions", () => {
  const v = new AttackedExampleView({
    original: "a b c",
    perturbed: "a b c",
    modifiedIndices: [1],
    originalLabel: "x",
    perturbedLabel: "y",
  });
  assert.deepEqual([...v.changedPerturbed], [1]);
  const d = diffWords(words("a b c d"), words("a x b c d"));
  assert.deepEqual([...d.a], []);
  assert.deepEqual([...d.b], [1]);
});

Deno.test("RunSummary: sections from info, config and last metrics; escaped", () => {
  const s = new RunSummary({
    info: {
      id: "run-1",
      name: EVIL,
      seed: 7,
      status: "done",
      config: { search: { population: 8 }, lr: 0.001 },
    },
    metrics: [{ step: 1, loss: 0.9 }, { step: 2, loss: 0.41234567 }],
  });
  assertEscaped(s.toHtml());
  const text = String(s);
  assert.match(text, /config\s+search\.population\s+8/);
  assert.match(text, /last metrics\s+loss\s+0\.4123/);
  assert.ok(!text.includes("0.9"), "only the last metrics record");
});

Deno.test("Leaderboard: ranks by fitness, NaN last, inline architecture, escaped", () => {
  const rows = [
    ...candidates.map((c, i) => ({ ...c, genome: statRows[i % statRows.length].genome })),
    { id: EVIL, fitness: Number.NaN, accuracy: 0.5, robustness: 0.1 },
  ];
  const lb = new Leaderboard(rows, { top: 20 });
  assert.deepEqual(lb.ranked.map((r) => r.label).slice(0, 3), ["c4", "c6", "c2"]);
  assert.equal(lb.ranked.at(-1)!.label, EVIL);
  const html = lb.toHtml();
  assertEscaped(html);
  assert.ok(html.includes('<svg xmlns="http://www.w3.org/2000/svg"'), "inline strip");
  assert.match(
    String(lb),
    new RegExp(
      String.raw`1\s+c4\s+1\.3700\s+90\.0%\s+47\.0%\s+12\.00M\s+` +
        String.raw`E128 H256 L4 \| mhsa_4×2 ffn_2×1 mhsa_2×1 conv_7×1`,
    ),
  );
});
