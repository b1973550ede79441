/**
 * One self-contained HTML page per run (`<run>/report.html`): run info, leaderboard, charts (the
 * SVGs in the run's charts/ and charts rendered here from metrics and records), architecture
 * diagrams of the top candidates, attacked examples, and a small bundled script (sortable tables,
 * sections that can be hidden).
 *
 * Safety: every string from the run (params, record fields, sentences, op names, file names) is
 * escaped with lib/viz `escapeHtml` or drawn by lib/viz display objects that escape it. SVG files
 * from charts/ are embedded as `<img src="data:image/svg+xml;base64,…">`, where a script inside
 * them cannot run. A Content-Security-Policy allows only the page's own bundled script (by its
 * sha256), inline styles and data: images, so nothing else can execute or load even if some
 * markup slipped through.
 */
import { createHash } from "node:crypto";
import { basename, join } from "node:path";
import { readRun, type RunData } from "../../lib/track/mod.ts";
import {
  ArchitectureDiagram,
  AttackedExampleView,
  type Chart,
  escapeHtml,
  fitnessCurve,
  formatValue,
  genomeStrip,
  genomeSummary,
  lineChart,
  paretoChart,
} from "../../lib/viz/mod.ts";
import { attackMetrics } from "../../lib/robustness/mod.ts";
import { wilson } from "../../lib/stats/mod.ts";

/** "[lo, hi] 95% CI, n N" of a proportion k / n in percent. */
function ci(k: number, n: number): string {
  const w = wilson(k, n);
  return `[${(100 * w.lower).toFixed(1)}, ${(100 * w.upper).toFixed(1)}] 95% CI, n ${n}`;
}
import { bundleClientScript } from "./bundle.ts";
import { attackRecordsOf, type Candidate, candidatesOf, metricRows, ranked } from "./_records.ts";

export interface ReportOptions {
  /** Rows of the leaderboard. Default 50. */
  leaderboardRows?: number;
  /** Architecture diagrams of the best candidates. Default 3. */
  topArchitectures?: number;
  /** Attacked examples shown (successful attacks first). Default 12. */
  attackedExamples?: number;
  /** The page's script; default `bundleClientScript()` (esbuild). */
  script?: string;
  /** Clock for the "generated" line. Default `new Date()`. */
  now?: () => Date;
}

const e = escapeHtml;

function section(id: string, title: string, body: string, note = ""): string {
  return `<section id="${id}" class="collapsible"><h2>${e(title)}</h2><div class="section-body">` +
    (note ? `<p class="note">${e(note)}</p>` : "") + body + `</div></section>`;
}

function json(value: unknown): string {
  return `<pre class="json">${e(JSON.stringify(value, null, 2))}</pre>`;
}

function runInfo(data: RunData): string {
  const i = data.info;
  const seconds = i.end ? (Date.parse(i.end) - Date.parse(i.start)) / 1000 : null;
  const rows: [string, string][] = [
    ["experiment", i.experiment],
    ["run", i.runId],
    ["status", i.status],
    ["start", i.start],
    ["end", i.end ?? "–"],
    ["duration", seconds === null ? "–" : `${seconds.toFixed(1)} s`],
    ["seed", String(i.seed)],
    ["git", `${i.git.commit}${i.git.ref ? ` (${i.git.ref})` : ""}`],
    ["versions", Object.entries(i.versions).map(([k, v]) => `${k} ${v}`).join(", ")],
    ["records / metrics", `${data.records.length} / ${data.metrics.length}`],
  ];
  const table = `<table class="info">${
    rows.map(([k, v]) => `<tr><th>${e(k)}</th><td>${e(v)}</td></tr>`).join("")
  }</table>`;
  const problems = data.problems.length
    ? `<p class="warn">Problems reading the run: ${e(data.problems.join("; "))}</p>`
    : "";
  return table + problems +
    `<details><summary>parameters</summary>${json(i.params)}</details>` +
    (i.summary ? `<details open><summary>summary</summary>${json(i.summary)}</details>` : "") +
    (i.backend ? `<details><summary>backend</summary>${json(i.backend)}</details>` : "") +
    (i.history.length ? `<details><summary>history</summary>${json(i.history)}</details>` : "");
}

function cell(value: number | null, options: { percent?: boolean; digits?: number } = {}): string {
  if (value === null) return `<td class="num" data-sort=""></td>`;
  return `<td class="num" data-sort="${value}">${e(formatValue(value, options))}</td>`;
}

/** A Wilson 95% interval cell for k of n ("" when unrecorded). */
function intervalCell(k: number | null, n: number | null): string {
  if (k === null || n === null || n === 0) return `<td class="num" data-sort=""></td>`;
  const w = wilson(k, n);
  return `<td class="num" data-sort="${w.lower}">${
    e(`[${(100 * w.lower).toFixed(1)}, ${(100 * w.upper).toFixed(1)}] (${n})`)
  }</td>`;
}

function leaderboard(candidates: readonly Candidate[], rows: number): string {
  const list = ranked(candidates).slice(0, rows);
  const head = [
    "rank",
    "candidate",
    "fitness",
    "accuracy",
    "robustness",
    "95% CI (n)",
    "compression",
    "params",
    "latency ms",
    "origin",
    "status",
    "architecture",
  ];
  const body = list.map((c, k) =>
    `<tr><td class="num" data-sort="${k + 1}">${k + 1}</td><td>${e(c.label)}</td>` +
    cell(c.fitness, { digits: 4 }) + cell(c.accuracy, { percent: true }) +
    cell(c.robustness, { percent: true }) + intervalCell(c.robust, c.attacked) +
    cell(c.compression, { digits: 2 }) + cell(c.params) + cell(c.latencyMs, { digits: 1 }) +
    `<td>${e(c.origin ?? "")}</td><td>${e(c.status)}</td>` +
    `<td class="arch" data-sort="${c.genome ? e(genomeSummary(c.genome)) : ""}">${
      c.genome
        ? `${genomeStrip(c.genome)} <span class="small">${e(genomeSummary(c.genome))}</span>`
        : ""
    }</td></tr>`
  ).join("");
  return `<table class="sortable leaderboard"><thead><tr>${
    head.map((h) => `<th>${e(h)}</th>`).join("")
  }</tr></thead><tbody>${body}</tbody></table>` +
    (candidates.length > rows
      ? `<p class="note">best ${rows} of ${candidates.length} candidates</p>`
      : "");
}

function figure(chart: Chart, caption: string): string {
  return `<figure class="chart">${chart.svg}<figcaption>${e(caption)}</figcaption></figure>`;
}

/** File names in the run's charts/ folder, sorted. */
function chartFiles(dir: string): string[] {
  try {
    return [...Deno.readDirSync(join(dir, "charts"))].filter((f) => f.isFile).map((f) => f.name)
      .sort();
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return [];
    throw err;
  }
}

/** SVG files of the run's charts/ folder as data: images (scripts inside them cannot run). */
function savedCharts(dir: string, names: readonly string[]): string[] {
  const chartsDir = join(dir, "charts");
  return names.map((name) => {
    if (!name.toLowerCase().endsWith(".svg")) {
      return `<p class="note">charts/${e(name)} (not embedded: only SVG charts are)</p>`;
    }
    const bytes = Deno.readFileSync(join(chartsDir, name));
    let binary = "";
    for (let i = 0; i < bytes.length; i += 0x8000) {
      binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    }
    return `<figure class="chart saved"><img alt="${e(name)}" src="data:image/svg+xml;base64,${
      btoa(binary)
    }">` +
      `<figcaption>charts/${e(name)}</figcaption></figure>`;
  });
}

/** Charts rendered from metrics and records; kinds already saved in charts/ are not repeated. */
function renderedCharts(
  data: RunData,
  candidates: readonly Candidate[],
  saved: readonly string[],
): string[] {
  const out: string[] = [];
  const has = (word: string) => saved.some((name) => name.toLowerCase().includes(word));
  const { names, rows } = metricRows(data.metrics);
  if (names.length > 0) {
    out.push(figure(
      lineChart(rows, {
        x: "step",
        y: names,
        series: "series",
        title: "Metrics",
        width: 560,
        height: 180,
      }),
      `metrics.jsonl: ${names.join(", ")}`,
    ));
  }
  const scored = candidates.filter((c) => c.fitness !== null);
  if (scored.length > 0 && !has("fitness")) {
    const history = scored
      .map((c, i) => ({ evaluation: c.evaluation ?? i + 1, fitness: c.fitness! }))
      .sort((a, b) => a.evaluation - b.evaluation);
    out.push(
      figure(
        fitnessCurve(history, { title: "Fitness over evaluations", width: 560, height: 240 }),
        "records.jsonl: candidates",
      ),
    );
  }
  const front = candidates.filter((c) =>
    c.robustness !== null && (c.compression ?? c.params) !== null
  );
  if (front.length > 0 && !has("pareto")) {
    const x = front.every((c) => c.compression !== null) ? "compression" : "params";
    out.push(figure(
      paretoChart(
        front.map((c) => ({
          name: c.label,
          compression: c.compression,
          params: c.params,
          robustness: c.robustness,
          accuracy: c.accuracy ?? NaN,
        })),
        {
          x,
          y: "robustness",
          color: front.every((c) => c.accuracy !== null) ? "accuracy" : null,
          title: `Robustness against ${x}`,
          width: 560,
          height: 320,
        },
      ),
      "records.jsonl: candidates (colour: clean accuracy)",
    ));
  }
  return out;
}

function architectures(candidates: readonly Candidate[], top: number): string {
  return ranked(candidates).filter((c) => c.genome !== null).slice(0, top).map((c, k) =>
    `<figure class="arch">${
      new ArchitectureDiagram(c.genome!, {
        title: `#${k + 1} ${c.label}${
          c.fitness !== null ? `: fitness ${c.fitness.toFixed(4)}` : ""
        }`,
      }).svg
    }<figcaption>${e(genomeSummary(c.genome!))}</figcaption></figure>`
  ).join("");
}

function attacked(records: readonly Record<string, unknown>[], shown: number): string {
  const list = attackRecordsOf(records);
  if (list.length === 0) return "";
  const m = attackMetrics(list);
  const summary = `<table class="info">${
    ([
      ["attacked examples", m.total],
      ["successful / failed / skipped", `${m.succeeded} / ${m.failed} / ${m.skipped}`],
      [
        "original accuracy",
        `${m.originalAccuracy.toFixed(1)}% ${ci(m.total - m.skipped, m.total)}`,
      ],
      ["accuracy under attack", `${m.accuracyUnderAttack.toFixed(1)}% ${ci(m.failed, m.total)}`],
      ["attack success rate", `${m.attackSuccessRate.toFixed(1)}%`],
      [
        "average perturbed words",
        Number.isFinite(m.avgPerturbedWordPercent)
          ? `${m.avgPerturbedWordPercent.toFixed(1)}%`
          : "–",
      ],
      ["average queries", m.avgNumQueries.toFixed(1)],
    ] as [string, unknown][]).map(([k, v]) => `<tr><th>${e(k)}</th><td>${e(String(v))}</td></tr>`)
      .join("")
  }</table>`;
  const order = { SUCCEEDED: 0, MAXIMIZED_QUERIES: 1, FAILED: 2, SKIPPED: 3 } as const;
  const argmax = (xs: readonly number[]) => xs.reduce((b, x, i) => (x > xs[b] ? i : b), 0);
  const views = [...list]
    .sort((a, b) => order[a.resultType] - order[b.resultType])
    .slice(0, shown)
    .map((r) => {
      const o = Array.isArray(r.originalOutput) ? r.originalOutput : [];
      const p = Array.isArray(r.perturbedOutput) ? r.perturbedOutput : [];
      const extra = typeof r.recipe === "string" ? ` · ${r.recipe}` : "";
      return `<div class="example" data-result="${e(r.resultType)}">` + new AttackedExampleView({
        original: r.originalText,
        perturbed: r.perturbedText,
        modifiedIndices: Array.isArray(r.modifiedIndices) ? r.modifiedIndices : undefined,
        originalLabel: o.length ? argmax(o) : "?",
        perturbedLabel: p.length ? argmax(p) : "?",
        originalScore: o.length ? Math.max(...o) : undefined,
        perturbedScore: p.length ? Math.max(...p) : undefined,
        groundTruth: typeof r.groundTruth === "number" ? r.groundTruth : undefined,
        status: `${r.resultType}${extra}`,
        numQueries: r.numQueries,
      }).toHtml() + `</div>`;
    }).join("");
  return summary + views +
    (list.length > shown
      ? `<p class="note">${shown} of ${list.length} attacked examples shown</p>`
      : "");
}

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#222;background:#fff}
header{padding:12px 20px;background:#f4f5f7;border-bottom:1px solid #ddd}
header h1{margin:0 0 4px;font-size:20px} nav a{margin-right:12px} nav button{margin-left:4px}
main{padding:8px 20px 40px} section{margin:18px 0} ` +
  `h2{font-size:17px;border-bottom:1px solid #eee;padding-bottom:4px}
h2 button.toggle{margin-left:10px;font-size:11px}
table{border-collapse:collapse;font-size:13px} ` +
  `th,td{padding:3px 8px;border-bottom:1px solid #eee;text-align:left;vertical-align:middle}
td.num{text-align:right;font-variant-numeric:tabular-nums} ` +
  `table.sortable th{background:#fafafa;user-select:none}
th[aria-sort=ascending]::after{content:" ▲"} th[aria-sort=descending]::after{content:" ▼"}
table.info th{color:#555;font-weight:600;width:14em} .small{font-size:11px;color:#555}
pre.json{background:#f8f8f8;padding:8px;max-height:320px;overflow:auto;font-size:12px}
figure.chart,figure.arch{` +
  `margin:10px 0;display:inline-block;vertical-align:top;max-width:100%;overflow-x:auto}
figure.chart img{max-width:100%} figcaption{font-size:12px;color:#666}
.note{color:#666;font-size:12px} .warn{color:#a40}
.example{margin:8px 0}
`;

const TOGGLE_ALL_BUTTONS = `<button type="button" id="expand-all">show all</button>` +
  `<button type="button" id="collapse-all">hide all</button>`;

/** The report page of a run folder. */
export async function buildReport(runDir: string, options: ReportOptions = {}): Promise<string> {
  const data = readRun(runDir);
  const { leaderboardRows = 50, topArchitectures = 3, attackedExamples = 12 } = options;
  const script = options.script ?? await bundleClientScript();
  const now = (options.now ?? (() => new Date()))();
  const candidates = candidatesOf(data.records);
  const files = chartFiles(runDir);
  const charts = [...savedCharts(runDir, files), ...renderedCharts(data, candidates, files)];
  const attackHtml = attacked(data.records, attackedExamples);
  const archHtml = architectures(candidates, topArchitectures);
  const sections = [
    section("run", "Run", runInfo(data)),
    candidates.length
      ? section(
        "leaderboard",
        "Leaderboard",
        leaderboard(candidates, leaderboardRows),
        "click a column header to sort",
      )
      : "",
    charts.length ? section("charts", "Charts", charts.join("")) : "",
    archHtml
      ? section(
        "architectures",
        `Architectures of the top ${Math.min(topArchitectures, candidates.length)}`,
        archHtml,
      )
      : "",
    attackHtml ? section("attacks", "Attacked examples", attackHtml) : "",
  ].filter(Boolean);
  const ids = [...sections.join("").matchAll(/<section id="([a-z]+)"/g)].map((m) => m[1]);
  const hash = createHash("sha256").update(script).digest("base64");
  const csp =
    `default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'sha256-${hash}'`;
  const title = `${data.info.experiment} ${data.info.runId}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)} · report</title><style>${STYLE}</style></head>
<body><header><h1>${e(title)}</h1>
<div class="small">status ${e(data.info.status)} · generated ${e(now.toISOString())} from ${
    e(basename(runDir))
  } by experiments/report</div>
<nav>${ids.map((id) => `<a href="#${id}">${e(id)}</a>`).join("")}${TOGGLE_ALL_BUTTONS}</nav>
</header><main>${sections.join("\n")}</main>
<script>${script}</script>
</body></html>
`;
}

/** Builds the report and writes it to `<runDir>/report.html` (or `out`); returns the path. */
export async function writeReport(
  runDir: string,
  options: ReportOptions & { out?: string } = {},
): Promise<string> {
  const html = await buildReport(runDir, options);
  const path = options.out ?? join(runDir, "report.html");
  const tmp = `${path}.tmp`;
  Deno.writeTextFileSync(tmp, html);
  Deno.renameSync(tmp, path);
  return path;
}
