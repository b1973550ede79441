/**
 * L2A's results (issue 18) from the experiment's records: per target size, every method's and
 * both teachers' accuracy on MR test (n, Wilson 95% interval) and on its unseen part (no overlap
 * with SST-2 train), exact McNemar tests of L2A against every other row on the same examples
 * (Holm within the size's table), and whether the paper's claims hold here; charts: the
 * data-size curve (accuracy vs target examples per method and teacher), the selector's reward
 * and the generator's mixing over the rounds, and every method's target-dev accuracy per round.
 */
import { holm, mcnemarPaired } from "../stats/mod.ts";
import { lineChart } from "../viz/mod.ts";
import type { L2aPoolsResult, L2aStudentResult, L2aTeacherResult } from "./l2a.ts";
import { type Accuracy, accuracyOf } from "./meta_kd_report.ts";

export interface L2aRow {
  size: number;
  name: string;
  kind: "teacher" | "student";
  test: Accuracy;
  unseen: Accuracy;
  params?: number;
}

export interface L2aTest {
  size: number;
  against: string;
  /** L2A minus the other, points. */
  difference: number;
  b: number;
  c: number;
  pValue: number;
  pHolm: number;
}

export interface L2aReport {
  markdown: string;
  charts: Record<string, string>;
  rows: L2aRow[];
  tests: L2aTest[];
}

const pct = (x: number) => (100 * x).toFixed(1);
const cell = (a: Accuracy) => `${pct(a.value)} [${pct(a.lower)}, ${pct(a.upper)}]`;
const p3 = (p: number) => (p < 0.001 ? "<0.001" : p.toFixed(3));
const bits = (s: string) => [...s].map((c) => (c === "1" ? 1 : 0));
const subset = (s: string, keep: string) => [...s].filter((_, i) => keep[i] === "1").join("");

export function l2aReport(input: {
  sizes: readonly number[];
  methods: readonly string[];
  students: readonly L2aStudentResult[];
  teachers: readonly L2aTeacherResult[];
  pools: readonly L2aPoolsResult[];
}): L2aReport {
  const { sizes, methods, students, teachers } = input;
  const rows: L2aRow[] = [], tests: L2aTest[] = [];
  const out: string[] = [];
  const curve: { size: number; accuracy: number; series: string }[] = [];
  for (const size of sizes) {
    const t = teachers.find((x) => x.size === size);
    if (!t) throw new RangeError(`l2aReport: no teacher record for size ${size}`);
    const unseen = t.unseen;
    const entries: { name: string; kind: L2aRow["kind"]; correct: string; params?: number }[] = [
      { name: "teacher: SST-2 (no target data)", kind: "teacher", correct: t.zeroShotTest },
      { name: `teacher: adapted (${t.chosen})`, kind: "teacher", correct: t.adaptedTest },
      ...methods.map((m) => {
        const s = students.find((x) => x.size === size && x.method === m);
        if (!s) throw new RangeError(`l2aReport: no student record for ${m} at size ${size}`);
        return { name: m, kind: "student" as const, correct: s.test, params: s.params };
      }),
    ];
    const l2a = entries.find((e) => e.name === "l2a")!;
    const others = entries.filter((e) => e !== l2a);
    const raw = others.map((e) => mcnemarPaired(bits(l2a.correct), bits(e.correct)));
    const adjusted = holm(raw.map((m) => m.pValue));
    others.forEach((e, i) =>
      tests.push({
        size,
        against: e.name,
        difference: 100 * (accuracyOf(l2a.correct).value - accuracyOf(e.correct).value),
        b: raw[i].b,
        c: raw[i].c,
        pValue: raw[i].pValue,
        pHolm: adjusted[i],
      })
    );
    out.push(
      `## ${size} target examples`,
      "",
      "| model | MR test n | accuracy % [95% CI] | unseen n | unseen accuracy % [95% CI] | " +
        "L2A minus it (points) | b / c | p (Holm) |",
      "|---|---|---|---|---|---|---|---|",
    );
    for (const e of entries) {
      const row: L2aRow = {
        size,
        name: e.name,
        kind: e.kind,
        test: accuracyOf(e.correct),
        unseen: accuracyOf(subset(e.correct, unseen)),
        ...(e.params ? { params: e.params } : {}),
      };
      rows.push(row);
      curve.push({
        size,
        accuracy: 100 * row.test.value,
        series: e.kind === "teacher" ? e.name.replace(/ \(.*\)/, "") : e.name,
      });
      const test = tests.find((x) => x.size === size && x.against === e.name);
      out.push(
        `| ${e.name} | ${row.test.n} | ${cell(row.test)} | ${row.unseen.n} | ${
          cell(row.unseen)
        } | ` +
          (test
            ? `${test.difference.toFixed(1)} | ${test.b} / ${test.c} | ${p3(test.pHolm)} |`
            : "(L2A) | | |"),
      );
    }
    out.push("");
  }
  out.push(claims(sizes, tests), "");
  const poolLines = input.pools.map((p) =>
    `- ${p.pool === "source" ? "source (SST-2)" : `target ${p.pool}`}: ` +
    Object.entries(p.counts).map(([k, v]) => `${v} ${k}`).join(", ") +
    ` (${p.seconds.toFixed(0)} s)`
  );
  const shown = input.pools.flatMap((p) =>
    p.examples.slice(0, 3).map((e) =>
      `| ${p.pool === "source" ? "" : `target ${p.pool} `}${e.kind} | ${e.original} | ${e.text} |`
    )
  );
  out.push(
    "## Candidate pools",
    "",
    ...poolLines,
    "",
    "| pool | sentence | augmented |",
    "|---|---|---|",
    ...shown,
    "",
  );
  const selectorLines = students.filter((s) => s.selector).map((s) =>
    `| ${s.size} | ${s.method} | ${s.selector!.weights.map((w) => w.toFixed(2)).join(" | ")} | ` +
    `${s.selector!.bias.toFixed(2)} | ${
      (100 * (s.history.at(-1)?.meanKeepProbability ?? NaN)).toFixed(0)
    } | ${s.history.at(-1)?.mixing.toFixed(2)} |`
  );
  out.push(
    "## What the selector learned (final weights; features as lib/distill l2a.ts)",
    "",
    "| size | method | target | rewritten | teacher confidence | teacher agrees | " +
      "student disagreement | target similarity | length | bias | keep % (last round) | " +
      "target share lambda |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ...selectorLines,
    "",
  );
  const picked = students.filter((s) => s.method === "l2a").flatMap((s) =>
    s.lastUsed.slice(0, 4).map((u) =>
      `| ${s.size} | ${u.domain}${u.rewritten ? ", rewritten" : ""} | ${u.text} |`
    )
  );
  if (picked.length) {
    out.push(
      "## What L2A's selector picked in its last round (a seeded sample)",
      "",
      "| size | candidate | text |",
      "|---|---|---|",
      ...picked,
      "",
    );
  }
  const charts: Record<string, string> = {};
  charts.data_size_curve = lineChart(curve, {
    x: "size",
    y: "accuracy",
    series: "series",
    dots: true,
    title: "MR test accuracy vs target training examples",
    subtitle: "students: TinyBERT-style 4 x 64, equal steps; teachers: 4 x 256",
  }).svg;
  const l2aRounds = students.filter((s) => s.method.startsWith("l2a")).flatMap((s) =>
    s.history.filter((h) => h.reward !== null).map((h) => ({
      round: h.round,
      advantage: h.advantage ?? 0,
      mixing: h.mixing,
      keep: h.meanKeepProbability,
      series: `${s.method} ${s.size}`,
    }))
  );
  charts.selector_reward = lineChart(l2aRounds, {
    x: "round",
    y: ["advantage", "keep", "mixing"],
    series: "series",
    dots: false,
    title: "L2A: the selector's normalised advantage, mean keep probability, target share",
  }).svg;
  const devRounds = students.flatMap((s) =>
    s.history.map((h) => ({
      round: h.round,
      devAccuracy: 100 * h.devAccuracy,
      series: `${s.size}: ${s.method}`,
    }))
  );
  charts.dev_accuracy = lineChart(devRounds, {
    x: "round",
    y: "devAccuracy",
    series: "series",
    dots: false,
    title: "Target-dev accuracy before each round (the reward's data)",
  }).svg;
  return { markdown: out.join("\n"), charts, rows, tests };
}

function claims(sizes: readonly number[], tests: readonly L2aTest[]): string {
  const lines = ["## The paper's claims at this scale", ""];
  const baselines = ["target-only", "eda", "mlm-aug"];
  const margins: { size: number; margin: number }[] = [];
  for (const size of sizes) {
    const t = tests.filter((x) => x.size === size && baselines.includes(x.against));
    if (t.length === 0) continue;
    const worst = t.reduce((a, b) => (b.difference < a.difference ? b : a));
    margins.push({ size, margin: worst.difference });
    const sig = t.filter((x) => x.pHolm < 0.05 && x.difference > 0).map((x) => x.against);
    const worse = t.filter((x) => x.pHolm < 0.05 && x.difference < 0).map((x) => x.against);
    lines.push(
      `- ${size} examples: L2A minus the best baseline (${worst.against}) ` +
        `${worst.difference.toFixed(1)} points; significantly better than ` +
        `${sig.length ? sig.join(", ") : "none"}` +
        (worse.length ? `, significantly worse than ${worse.join(", ")}` : "") +
        " (Holm-adjusted McNemar, 0.05).",
    );
    const teacher = tests.find((x) => x.size === size && x.against.startsWith("teacher: adapted"));
    if (teacher) {
      lines.push(
        `  Against its adapted teacher: ${teacher.difference.toFixed(1)} points ` +
          `(p ${p3(teacher.pHolm)}${teacher.pHolm < 0.05 ? "" : ": no significant difference"}).`,
      );
    }
  }
  if (margins.length >= 2) {
    const sorted = [...margins].sort((a, b) => a.size - b.size);
    const decreasing = sorted.every((m, i) => i === 0 || m.margin <= sorted[i - 1].margin);
    lines.push(
      `- "Most of all when target data is small": the margin over the best baseline by size is ` +
        sorted.map((m) => `${m.size}: ${m.margin.toFixed(1)}`).join(", ") +
        (decreasing ? " (shrinks as data grows)." : " (does not shrink steadily as data grows)."),
    );
  }
  return lines.join("\n");
}
