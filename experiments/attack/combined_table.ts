/**
 * One row per recipe: original accuracy, accuracy under attack, attack success rate, average
 * perturbed-word %, average queries (TextAttack's definitions, see lib/robustness metrics) and
 * the wall time spent attacking.
 */
import { type AttackMetrics, formatPy2 } from "../../lib/robustness/mod.ts";
import { wilson } from "../../lib/stats/mod.ts";
import { formatSeconds } from "../_shared/project.ts";

export interface CombinedRow {
  recipe: string;
  metrics: AttackMetrics;
  seconds: number;
}

const HEAD = [
  "recipe",
  "n",
  "orig acc %",
  "acc under attack % [95% CI]",
  "success %",
  "perturbed %",
  "avg queries",
  "time",
];

export function combinedTable(rows: readonly CombinedRow[]): string {
  const body = rows.map((r) => [
    r.recipe,
    String(r.metrics.total),
    formatPy2(r.metrics.originalAccuracy),
    withInterval(r.metrics),
    formatPy2(r.metrics.attackSuccessRate),
    formatPy2(r.metrics.avgPerturbedWordPercent),
    formatPy2(r.metrics.avgNumQueries),
    formatSeconds(r.seconds),
  ]);
  const all = [HEAD, ...body];
  const w = HEAD.map((_, j) => Math.max(...all.map((r) => r[j].length)));
  const line = (r: string[]) =>
    "| " + r.map((c, j) => (j === 0 ? c.padEnd(w[j]) : c.padStart(w[j]))).join(" | ") + " |";
  const rule = "+" + w.map((x) => "-".repeat(x + 2)).join("+") + "+";
  return [rule, line(HEAD), rule, ...body.map(line), rule].join("\n");
}

/** Accuracy under attack with its Wilson 95% interval (failed of total), in percent. */
function withInterval(m: AttackMetrics): string {
  const w = wilson(m.failed, m.total);
  return `${formatPy2(m.accuracyUnderAttack)} [${(100 * w.lower).toFixed(1)}, ${
    (100 * w.upper).toFixed(1)
  }]`;
}
