/**
 * The KD-NAS results table (issue 16): the found student(s), the hand-crafted TinyBERT-style
 * student and the teacher, each with dev accuracy (n, Wilson 95%), CPU latency at batch 1 and at
 * batch 32 (median of the repeats with their range), parameters, speed-up against the teacher
 * and accuracy retained; a paired McNemar test between each found student and the hand-crafted
 * one on the same dev sentences. Pure: inputs are the finished jobs' plain JSON.
 */
import { mcnemarPaired } from "../stats/mod.ts";
import { type Proportion, proportion } from "./final_table.ts";
import type { LatencySummary } from "./latency_profiles.ts";

export interface KdNasModelInput {
  name: string;
  kind: "found" | "hand-crafted" | "teacher";
  description: string;
  params: number;
  /** Per dev example: "1" correct, "0" wrong. */
  devCorrect: string;
  latencies: Record<string, LatencySummary>;
  /** Search-time reward and proxy accuracy (found and hand-crafted). */
  search?: { reward: number; proxyAccuracy: number };
  steps?: number;
}

export interface KdNasRow extends KdNasModelInput {
  dev: Proportion;
  /** teacher latency / this latency, per profile. */
  speedup: Record<string, number>;
  /** dev accuracy / the teacher's. */
  retained: number;
}

export interface KdNasComparison {
  found: string;
  against: string;
  difference: number;
  b: number;
  c: number;
  pValue: number;
  sentence: string;
}

export interface KdNasTable {
  profiles: string[];
  rows: KdNasRow[];
  comparisons: KdNasComparison[];
}

export function kdnasTable(models: readonly KdNasModelInput[], profiles: string[]): KdNasTable {
  const teacher = models.find((m) => m.kind === "teacher");
  if (!teacher) throw new RangeError("KD-NAS table: no teacher row");
  const acc = (m: KdNasModelInput) =>
    proportion(
      [...m.devCorrect].filter((c) => c === "1").length,
      m.devCorrect.length,
    );
  const t = acc(teacher);
  const rows: KdNasRow[] = models.map((m) => ({
    ...m,
    dev: acc(m),
    speedup: Object.fromEntries(
      profiles.map((p) => [p, teacher.latencies[p].medianMs / m.latencies[p].medianMs]),
    ),
    retained: acc(m).value / t.value,
  }));
  const hand = rows.find((r) => r.kind === "hand-crafted");
  const bits = (s: string) => [...s].map((c) => (c === "1" ? 1 : 0));
  const comparisons = hand
    ? rows.filter((r) => r.kind === "found").map((r) => {
      const m = mcnemarPaired(bits(r.devCorrect), bits(hand.devCorrect));
      const difference = 100 * (r.dev.value - hand.dev.value);
      const stats = `${difference >= 0 ? "+" : ""}${difference.toFixed(1)} points; ${m.b} vs ` +
        `${m.c} discordant of ${r.devCorrect.length}; McNemar p = ${m.pValue.toPrecision(2)}`;
      return {
        found: r.name,
        against: hand.name,
        difference,
        b: m.b,
        c: m.c,
        pValue: m.pValue,
        sentence: m.pValue < 0.05
          ? `${r.name} is ${
            difference > 0 ? "more" : "less"
          } accurate than ${hand.name} (${stats}).`
          : `No significant difference in dev accuracy between ${r.name} and ${hand.name} ` +
            `(${stats}).`,
      };
    })
    : [];
  return { profiles, rows, comparisons };
}

const pc = (x: number) => (100 * x).toFixed(1);

export function kdnasMarkdown(t: KdNasTable, header: string): string {
  const lat = (r: KdNasRow, p: string) => {
    const l = r.latencies[p];
    return `${l.medianMs.toFixed(1)} [${l.minMs.toFixed(1)}, ${l.maxMs.toFixed(1)}]`;
  };
  return [
    header,
    "",
    `| model | architecture | params | dev acc % (n ${t.rows[0].dev.n}) | ` +
    t.profiles.map((p) => `latency ${p} ms [min, max]`).join(" | ") + " | " +
    t.profiles.map((p) => `speed-up ${p}`).join(" | ") + " | accuracy retained |",
    `|---|---|---:|---:|${t.profiles.map(() => "---:").join("|")}|` +
    `${t.profiles.map(() => "---:").join("|")}|---:|`,
    ...t.rows.map((r) =>
      `| ${r.name}${
        r.dev.lower <= 0.5 && r.dev.upper >= 0.5 ? " ⚠ at chance" : ""
      } | ${r.description} | ${(r.params / 1e6).toFixed(2)}M | ` +
      `${pc(r.dev.value)} [${pc(r.dev.lower)}, ${pc(r.dev.upper)}] | ` +
      t.profiles.map((p) => lat(r, p)).join(" | ") + " | " +
      t.profiles.map((p) => `${r.speedup[p].toFixed(2)}x`).join(" | ") +
      ` | ${pc(r.retained)}% |`
    ),
    "",
    "Dev accuracy: % with its Wilson 95% interval (⚠ at chance: the interval contains 50%, the " +
    "student learnt nothing). Speed-up: the teacher's median latency over the model's, same " +
    "batch and sequence length. Accuracy retained: dev accuracy over the teacher's.",
    "",
    ...t.comparisons.map((c) => `- ${c.sentence}`),
    "",
  ].join("\n");
}
