/**
 * The final comparison as a table (no tfjs): per model the clean dev accuracy and, per recipe,
 * the accuracy under attack, each with its n and Wilson 95% interval; and, for every searched
 * student against every baseline of comparable compression (within ±20% of the student's), the
 * paired difference in accuracy under attack on the same dev examples with its exact McNemar p,
 * Holm-adjusted over all comparisons of the table, and one sentence stating what the test shows.
 * DESIGN.md convention 14 (Dror et al. 2018).
 */
import { holm, mcnemarPaired, wilson } from "../stats/mod.ts";

export interface Proportion {
  /** Fraction (0-1). */
  value: number;
  n: number;
  /** Wilson 95% interval. */
  lower: number;
  upper: number;
}

/** A proportion of `k` of `n` with its Wilson 95% interval. */
export function proportion(k: number, n: number): Proportion {
  const w = wilson(k, n);
  return { value: n === 0 ? NaN : k / n, n, lower: w.lower, upper: w.upper };
}

export interface RecipeCell {
  accuracyUnderAttack: number;
  /** Accuracy under attack with n and interval. */
  underAttack: Proportion;
  attackSuccessRate: number;
  originalAccuracy: number;
  avgPerturbedWordPercent: number;
  avgNumQueries: number;
  seconds: number;
  /** Per attacked example (lib/robustness `OutcomeCodes`): F/Q robust, S succeeded, K skipped. */
  outcomes: string;
}

export interface TableRow {
  name: string;
  kind: "searched" | "baseline" | "teacher";
  params: number;
  compression: number;
  devAccuracy: number;
  /** Clean dev accuracy with n and interval. */
  dev: Proportion;
  /** Per dev example: "1" correct, "0" wrong. */
  devCorrect: string;
  attacks: Record<string, RecipeCell>;
  search?: { hash: string; fitness: number; cleanAccuracy: number; robustness: number };
  trainedOn?: number;
  /** How it was trained in this run (baselines: what differs from the searched students). */
  training?: {
    steps: number;
    style?: string;
    learningRate?: number;
    init?: string;
    losses?: string[];
  };
}

export interface Comparison {
  searched: string;
  baseline: string;
  recipe: string;
  /** Accuracy under attack, searched minus baseline (fraction). */
  difference: number;
  n: number;
  /** Discordant pairs: searched robust and baseline not (b), and the reverse (c). */
  b: number;
  c: number;
  pValue: number;
  /** Holm-adjusted over every comparison of the table. */
  pHolm: number;
  sentence: string;
}

export interface FinalTable {
  dataset: string;
  /** Robust KD of every retrained model (absent in older tables: plain). */
  kd?: string;
  devSize: number;
  devExamplesAttacked: number;
  queryBudget: number;
  recipes: string[];
  recipesSkipped: { recipe: string; why: string }[];
  baselinesMissing: string[];
  /** "retrain": the baselines were trained in this run under the searched students' budget. */
  baselines: "retrain" | "checkpoints";
  teacherParams: number;
  trainSize: number;
  rows: TableRow[];
  comparisons: Comparison[];
}

const robust = (codes: string): number[] => [...codes].map((c) => (c === "F" || c === "Q" ? 1 : 0));
const points = (d: number) =>
  `${d >= 0 ? "+" : "−"}${(100 * Math.abs(d)).toFixed(1)} points of accuracy under attack`;

/** Searched students against the baselines within ±`tolerance` of their compression. */
export function pairedComparisons(
  rows: readonly TableRow[],
  recipes: readonly string[],
  options: { tolerance?: number; alpha?: number } = {},
): Comparison[] {
  const { tolerance = 0.2, alpha = 0.05 } = options;
  const out: Omit<Comparison, "pHolm" | "sentence">[] = [];
  for (const s of rows.filter((r) => r.kind === "searched")) {
    for (const b of rows.filter((r) => r.kind === "baseline")) {
      if (Math.abs(b.compression - s.compression) > tolerance * s.compression) continue;
      for (const recipe of recipes) {
        const x = robust(s.attacks[recipe].outcomes), y = robust(b.attacks[recipe].outcomes);
        const t = mcnemarPaired(x, y);
        const n = x.length;
        const diff = (x.reduce((a, v) => a + v, 0) - y.reduce((a, v) => a + v, 0)) / n;
        out.push({
          searched: s.name,
          baseline: b.name,
          recipe,
          difference: diff,
          n,
          b: t.b,
          c: t.c,
          pValue: t.pValue,
        });
      }
    }
  }
  const adjusted = holm(out.map((c) => c.pValue));
  return out.map((c, i) => ({
    ...c,
    pHolm: adjusted[i],
    sentence: adjusted[i] < alpha
      ? `Under ${c.recipe}, ${c.searched} is ${c.difference > 0 ? "more" : "less"} robust than ` +
        `${c.baseline} (${points(c.difference)} on ${c.n} examples; Holm-adjusted p = ` +
        `${adjusted[i].toPrecision(2)}).`
      : `Under ${c.recipe}, no significant difference between ${c.searched} and ${c.baseline} ` +
        `(${points(c.difference)} on ${c.n} ` +
        `examples, ${c.b} vs ${c.c} discordant; Holm-adjusted p = ${adjusted[i].toPrecision(2)}).`,
  }));
}

const cell = (p: Proportion) =>
  `${(100 * p.value).toFixed(1)} [${(100 * p.lower).toFixed(1)}, ${(100 * p.upper).toFixed(1)}]`;

/** The table as Markdown (the command and scale note go above it). */
export function tableMarkdown(t: FinalTable): string {
  const head = [
    "model",
    "kind",
    "params",
    "compression",
    `dev acc % (n ${t.devSize})`,
    ...t.recipes.map((r) => `${r} % (n ${t.devExamplesAttacked})`),
  ];
  const lines = [
    `| ${head.join(" | ")} |`,
    `|${head.map((_, i) => (i < 2 ? "---" : "---:")).join("|")}|`,
  ];
  for (const r of t.rows) {
    lines.push(
      `| ${
        [
          r.name + (r.search ? ` (${r.search.hash.slice(0, 8)})` : ""),
          r.kind,
          (r.params / 1e6).toFixed(2) + "M",
          r.compression.toFixed(1) + "x",
          cell(r.dev),
          ...t.recipes.map((k) => cell(r.attacks[k].underAttack)),
        ].join(" | ")
      } |`,
    );
  }
  const notes = [
    "",
    `Each cell: accuracy (%) with its Wilson 95% interval. Attacks: accuracy under attack ` +
    `(failed ` +
    `attacks / all examples, as TextAttack) on the first ${t.devExamplesAttacked} dev examples, ` +
    `${t.queryBudget} queries per example, the same examples for every model.`,
  ];
  const trained = t.rows.filter((r) => r.kind === "baseline" && r.training);
  if (t.baselines === "retrain" && trained.length > 0) {
    notes.push(
      `Budget: every student was trained in this run on the same ${t.trainSize} examples for ` +
        `${
          trained[0].training!.steps
        } steps (AdamW, linear warmup and decay) from the same teacher; ` +
        `the baselines keep their own initialisation, layer losses and peak learning rate: ` +
        trained.map((r) =>
          `${r.name} (${r.training!.style}; init ${r.training!.init}; losses ` +
          `${r.training!.losses!.join(" + ")}; peak lr ${r.training!.learningRate})`
        ).join("; ") + ".",
    );
  } else if (t.baselines === "checkpoints") {
    notes.push(
      "Budget: the KD baselines are the checkpoints of `deno task kd-baselines` (their own " +
        "steps and schedules, experiments/kd_baselines/results/table.md); the searched students " +
        `were retrained here on ${t.trainSize} examples.`,
    );
  }
  if (t.kd && t.kd !== "plain") {
    notes.push(
      `Robust KD: every retrained student and baseline added the ${t.kd} perturbation term ` +
        `(lib/pipeline kd_mode.ts, weight 1/3) to its own objective, from the live teacher.`,
    );
  }
  if (t.recipesSkipped.length) {
    notes.push(`Not run: ${t.recipesSkipped.map((r) => `${r.recipe} (${r.why})`).join("; ")}.`);
  }
  if (t.baselinesMissing.length) {
    notes.push(`KD baselines absent: ${t.baselinesMissing.join(", ")}.`);
  }
  const parts = [lines.join("\n"), notes.join("\n")];
  if (t.comparisons.length > 0) {
    parts.push(
      [
        "",
        "### Paired comparisons (searched vs baselines within ±20% compression)",
        "",
        "| searched | baseline | recipe | difference (pts) | discordant b / c | McNemar p " +
        "| Holm p |",
        "|---|---|---|---:|---:|---:|---:|",
        ...t.comparisons.map((c) =>
          `| ${c.searched} | ${c.baseline} | ${c.recipe} | ${(100 * c.difference).toFixed(1)} | ` +
          `${c.b} / ${c.c} | ${c.pValue.toPrecision(2)} | ${c.pHolm.toPrecision(2)} |`
        ),
        "",
        ...t.comparisons.map((c) => `- ${c.sentence}`),
      ].join("\n"),
    );
  } else {
    parts.push(
      "\nNo baseline lies within ±20% of a searched student's compression: no paired test.",
    );
  }
  return parts.join("\n") + "\n";
}
