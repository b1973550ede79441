/**
 * AdaBERT's results (issue 17) from the experiment's records: per task the derived student's
 * accuracy on each reported split (n, Wilson 95% interval) beside its teacher's, parameters,
 * compression and CPU speed-up at batch 1 and 32, search time; the transfer table (every task's
 * architecture retrained on every task) with exact McNemar tests of each task's own architecture
 * against each other architecture on that task (Holm over the table), and whether the own
 * architecture wins; charts: the derived cells (DAG drawings) and the architecture-weight
 * trajectories (probability of each op, averaged over the 9 edges, and of each depth).
 */
import { holm, mcnemarPaired } from "../stats/mod.ts";
import { ArchitectureDiagram, lineChart } from "../viz/mod.ts";
import { ADABERT_OPS } from "../search_space/mod.ts";
import type { AdaBertRetrainResult, AdaBertSearchTaskResult } from "./adabert.ts";
import { type Accuracy, accuracyOf } from "./meta_kd_report.ts";

export interface AdaBertTransferCell {
  task: string;
  from: string;
  split: "dev" | "test";
  accuracy: Accuracy;
}

export interface AdaBertOwnTest {
  task: string;
  other: string;
  split: "dev" | "test";
  difference: number;
  b: number;
  c: number;
  pValue: number;
  pHolm: number;
}

export interface AdaBertReport {
  markdown: string;
  charts: Record<string, string>;
  transfer: AdaBertTransferCell[];
  tests: AdaBertOwnTest[];
}

const pct = (x: number) => (100 * x).toFixed(1);
const cell = (a: Accuracy) => `${pct(a.value)} [${pct(a.lower)}, ${pct(a.upper)}]`;
const bits = (s: string) => [...s].map((c) => (c === "1" ? 1 : 0));
const describe = (s: AdaBertSearchTaskResult) =>
  `${s.derived.cells} cell(s): ` +
  s.derived.nodes.map((n, j) => `n${j} = ${n.map((e) => `${e.op}(${e.source})`).join(" + ")}`)
    .join("; ");

export function adabertReport(input: {
  tasks: readonly string[];
  searches: readonly AdaBertSearchTaskResult[];
  retrains: readonly AdaBertRetrainResult[];
}): AdaBertReport {
  const { tasks, searches, retrains } = input;
  const own = (t: string) => retrains.find((r) => r.dataset === t && r.from === t);
  const split = (r: AdaBertRetrainResult) => (r.correct.test ? "test" : "dev") as "dev" | "test";
  const out: string[] = [
    "## Derived students on their own task",
    "",
    "| task | split | n | student % [95% CI] | teacher % [95% CI] | params | compression | " +
    "speed-up b1 / b32 | search |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const t of tasks) {
    const r = own(t), s = searches.find((x) => x.dataset === t);
    if (!r || !s) continue;
    for (const sp of ["dev", "test"] as const) {
      const c = r.correct[sp];
      if (!c) continue;
      const lat = r.latencyMs;
      const speed = lat
        ? `${(lat.teacher.b1 / lat.student.b1).toFixed(1)}x / ${
          (lat.teacher.b32 / lat.student.b32).toFixed(1)
        }x`
        : "n/a";
      out.push(
        `| ${t} | ${sp} | ${c.length} | ${cell(accuracyOf(c))} | ${
          cell(accuracyOf(r.teacherCorrect[sp]!))
        } | ${(r.params / 1e6).toFixed(2)}M | ${(r.teacherParams / r.params).toFixed(1)}x | ` +
          `${speed} | ${(s.seconds / 60).toFixed(1)} min, ${s.steps} steps |`,
      );
    }
  }
  out.push("", "## Derived architectures (one cell, shared by every cell)", "");
  for (const s of searches) out.push(`- ${s.dataset}: ${describe(s)}`);
  // transfer table: rows = task retrained on, columns = architecture from
  const transfer: AdaBertTransferCell[] = [];
  for (const r of retrains) {
    const sp = split(r);
    transfer.push({
      task: r.dataset,
      from: r.from,
      split: sp,
      accuracy: accuracyOf(r.correct[sp]!),
    });
  }
  const raw: Omit<AdaBertOwnTest, "pHolm">[] = [];
  for (const t of tasks) {
    const mine = own(t);
    if (!mine) continue;
    const sp = split(mine);
    for (const from of tasks) {
      const other = retrains.find((r) => r.dataset === t && r.from === from);
      if (from === t || !other) continue;
      const m = mcnemarPaired(bits(mine.correct[sp]!), bits(other.correct[sp]!));
      raw.push({
        task: t,
        other: from,
        split: sp,
        difference: 100 *
          (accuracyOf(mine.correct[sp]!).value - accuracyOf(other.correct[sp]!).value),
        b: m.b,
        c: m.c,
        pValue: m.pValue,
      });
    }
  }
  const adj = holm(raw.map((x) => x.pValue));
  const tests = raw.map((x, i) => ({ ...x, pHolm: adj[i] }));
  out.push(
    "",
    "## Transfer: each task's architecture retrained on each task (accuracy % [95% CI])",
    "",
    `| retrained on (split) | ${tasks.map((t) => `${t}'s architecture`).join(" | ")} |`,
    `|---|${tasks.map(() => "---:").join("|")}|`,
  );
  for (const t of tasks) {
    const row = tasks.map((from) => transfer.find((x) => x.task === t && x.from === from));
    if (row.every((x) => !x)) continue;
    const sp = row.find((x) => x)!.split;
    out.push(`| ${t} (${sp}) | ${row.map((x) => (x ? cell(x.accuracy) : "n/a")).join(" | ")} |`);
  }
  out.push(
    "",
    "Own architecture against each other one on the same task (exact McNemar, Holm over the " +
      "table):",
    "",
    "| task | other architecture | own minus other (points) | right only with own / only with " +
      "other | p | p (Holm) |",
    "|---|---|---:|---:|---:|---:|",
    ...tests.map((x) =>
      `| ${x.task} | ${x.other}'s | ${x.difference >= 0 ? "+" : ""}${x.difference.toFixed(1)} | ` +
      `${x.b} / ${x.c} | ${x.pValue.toFixed(3)} | ${x.pHolm.toFixed(3)} |`
    ),
    "",
    adaptiveVerdict(tasks, transfer, tests),
  );
  const charts: Record<string, string> = {};
  for (const s of searches) {
    const shown = { ...s.genome, cells: [s.genome.cells[Math.min(1, s.genome.cells.length - 1)]] };
    charts[`architecture_${s.dataset}.svg`] = new ArchitectureDiagram(shown, {
      title: `${s.dataset}: derived cell (x ${s.derived.cells})`,
    }).svg;
    const rows = s.trajectory.flatMap((r) =>
      ADABERT_OPS.map((op, o) => ({
        step: r.step,
        op,
        p: r.opProbs.reduce((a, e) => a + e[o], 0) / r.opProbs.length,
      }))
    );
    charts[`trajectory_ops_${s.dataset}.svg`] = lineChart(rows, {
      y: "p",
      series: "op",
      title: `${s.dataset}: op probability (softmax alpha, mean over the 9 edges)`,
    }).svg;
    const depth = s.trajectory.flatMap((r) =>
      r.depthProbs.map((p, k) => ({ step: r.step, cells: `${k + 1} cells`, p }))
    );
    charts[`trajectory_depth_${s.dataset}.svg`] = lineChart(depth, {
      y: "p",
      series: "cells",
      title: `${s.dataset}: depth probability (softmax beta)`,
    }).svg;
  }
  return { markdown: out.join("\n"), charts, transfer, tests };
}

function adaptiveVerdict(
  tasks: readonly string[],
  transfer: AdaBertTransferCell[],
  tests: AdaBertOwnTest[],
): string {
  const lines = tasks.map((t) => {
    const row = transfer.filter((x) => x.task === t);
    const mine = row.find((x) => x.from === t);
    if (!mine || row.length < 2) return null;
    // the own architecture unless another is strictly more accurate
    const best = row.reduce((a, b) => (b.accuracy.value > a.accuracy.value ? b : a), mine);
    const tied = row.filter((x) => x.from !== t && x.accuracy.value === mine.accuracy.value);
    const lead = best.from === t
      ? `its own architecture is the most accurate${
        tied.length ? ` (tied with ${tied.map((x) => `${x.from}'s`).join(", ")})` : ""
      }`
      : `${best.from}'s architecture is the most accurate (own ${pct(mine.accuracy.value)} vs ${
        pct(best.accuracy.value)
      })`;
    const sig = tests.filter((x) => x.task === t && x.pHolm < 0.05);
    const tested = sig.length
      ? `significant after Holm against ${sig.map((x) => `${x.other}'s`).join(", ")}`
      : "no difference significant after Holm";
    return `${t}: ${lead}; ${tested}.`;
  }).filter((x) => x !== null);
  return lines.length ? `Task-adaptiveness: ${lines.join(" ")}` : "";
}
