/**
 * What the report reads from a run record, normalised (outside data: every field is checked for
 * its type here and anything else is ignored, never trusted as markup).
 * - candidates: records with `kind: "candidate"` (experiments/rosearch_sst2, notebook 03), or any
 *   record with a genome-like `genome` and a numeric `fitness`;
 * - attacked examples: records with string `originalText` / `perturbedText` and a `resultType`
 *   (lib/robustness `AttackRecord`, as `runAttack` appends them);
 * - metric series: metrics.jsonl grouped by name and context.
 */
import type { Metric } from "../../lib/track/mod.ts";
import { isGenomeLike } from "../../lib/viz/mod.ts";
import type { GenomeLike } from "../../lib/viz/mod.ts";
import type { AttackRecord } from "../../lib/robustness/mod.ts";
import { RESULT_TYPES } from "../../lib/robustness/mod.ts";

export interface Candidate {
  label: string;
  hash: string | null;
  status: string;
  evaluation: number | null;
  fitness: number | null;
  accuracy: number | null;
  robustness: number | null;
  /** Examples the robustness was measured on (search attack), when recorded. */
  attacked: number | null;
  /** Robust examples among them (failed attacks). */
  robust: number | null;
  compression: number | null;
  params: number | null;
  latencyMs: number | null;
  origin: string | null;
  genome: GenomeLike | null;
}

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const obj = (v: unknown): Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? v as Record<string, unknown> : {};

export function candidatesOf(records: readonly Record<string, unknown>[]): Candidate[] {
  const out: Candidate[] = [];
  records.forEach((r, i) => {
    const isCandidate = r.kind === "candidate" ||
      (isGenomeLike(r.genome) && typeof r.fitness === "number");
    if (!isCandidate) return;
    const m = obj(r.metrics);
    const pick = (...keys: string[]) => {
      for (const k of keys) {
        const v = num(m[k]) ?? num(r[k]);
        if (v !== null) return v;
      }
      return null;
    };
    const hash = str(r.hash) ?? str(r.key);
    const id = num(r.id);
    out.push({
      label: str(r.name) ?? (id !== null ? `#${id}` : hash ? hash.slice(0, 8) : `record ${i + 1}`),
      hash,
      status: str(r.status) ?? "ok",
      evaluation: num(r.evaluation),
      fitness: num(r.fitness),
      accuracy: pick("cleanAccuracy", "accuracy", "devAccuracy"),
      robustness: pick("robustness", "accuracyUnderAttack"),
      attacked: num(obj(m.attack).total),
      robust: num(obj(m.attack).failed),
      compression: pick("compression"),
      params: pick("params"),
      latencyMs: pick("latencyMs"),
      origin: str(r.origin),
      genome: isGenomeLike(r.genome) ? r.genome : null,
    });
  });
  return out;
}

/** Candidates with a fitness, best first (ties keep record order). */
export function ranked(candidates: readonly Candidate[]): Candidate[] {
  return candidates
    .map((c, i) => ({ c, i }))
    .sort((a, b) =>
      (a.c.fitness === null ? 1 : 0) - (b.c.fitness === null ? 1 : 0) ||
      (b.c.fitness ?? 0) - (a.c.fitness ?? 0) || a.i - b.i
    )
    .map((x) => x.c);
}

export function attackRecordsOf(records: readonly Record<string, unknown>[]): AttackRecord[] {
  return records.filter((r) =>
    typeof r.originalText === "string" && typeof r.perturbedText === "string" &&
    (RESULT_TYPES as readonly unknown[]).includes(r.resultType) &&
    typeof r.numQueries === "number" && typeof r.numWords === "number"
  ) as unknown as AttackRecord[];
}

export interface SeriesRow {
  step: number;
  series: string;
  [metric: string]: number | string;
}

/** Metric rows for lineChart: one row per point, the metric's value under its own name. */
export function metricRows(
  metrics: readonly Metric[],
  maxNames = 6,
): { names: string[]; rows: SeriesRow[] } {
  const counts = new Map<string, number>();
  for (const m of metrics) {
    if (typeof m.value === "number" && Number.isFinite(m.value) && m.step !== null) {
      counts.set(m.name, (counts.get(m.name) ?? 0) + 1);
    }
  }
  const names = [...counts].filter(([, n]) => n >= 2).map(([name]) => name).slice(0, maxNames);
  const wanted = new Set(names);
  const rows: SeriesRow[] = [];
  for (const m of metrics) {
    if (!wanted.has(m.name) || m.step === null || !Number.isFinite(m.value)) continue;
    const ctx = Object.entries(m.context ?? {}).map(([k, v]) => `${k}=${v}`).join(", ");
    rows.push({ step: m.step, series: ctx || "all", [m.name]: m.value });
  }
  return { names, rows };
}
