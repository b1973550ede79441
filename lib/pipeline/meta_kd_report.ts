/**
 * Meta-KD's results (issue 19) from the experiment's records: per domain, every student's test
 * accuracy with its n and Wilson 95% interval; exact McNemar tests of Meta-KD (and of Meta-KD
 * from the meta-teacher that never saw the domain) against the domain's BEST baseline (the most
 * accurate of per-domain KD, all-domain KD and no KD, chosen after the fact, which favours the
 * baselines), Holm-adjusted over the table; pooled over the domains, Meta-KD against each
 * baseline; the teachers' accuracy on every domain; the domain similarity matrix and the
 * transferability weights per domain (charts).
 */
import type { AmazonDomain } from "../data/mod.ts";
import { holm, mcnemarPaired, wilson } from "../stats/mod.ts";
import { distributionChart, heatmap } from "../viz/mod.ts";
import type { MetaStudentResult, MetaTeacherResult } from "./meta_kd.ts";

export const META_KD_METHODS: Record<string, string> = {
  "meta-kd": "Meta-KD (meta-teacher, weighted)",
  "single-kd": "per-domain teacher, KD",
  "mix-kd": "all-domain teacher (unweighted), KD",
  "no-kd": "no KD (labels only)",
  "unseen-meta-kd": "Meta-KD, meta-teacher without this domain",
};
const BASELINES = ["single-kd", "mix-kd", "no-kd"];

export interface Accuracy {
  value: number;
  n: number;
  lower: number;
  upper: number;
}

export interface MetaKdRow {
  domain: string;
  method: string;
  accuracy: Accuracy;
  correct: string;
  params: number;
  steps: number;
}

export interface MetaKdComparison {
  domain: string;
  method: string;
  baseline: string;
  /** method minus baseline, points. */
  difference: number;
  /** Right only with the method / only with the baseline. */
  b: number;
  c: number;
  n: number;
  pValue: number;
  pHolm: number;
}

export interface MetaKdReport {
  rows: MetaKdRow[];
  comparisons: MetaKdComparison[];
  pooled: MetaKdComparison[];
  teachers: { name: string; domains: string[]; test: Record<string, Accuracy> }[];
  similarity: { domains: string[]; matrix: number[][] } | null;
  markdown: string;
  charts: Record<string, string>;
}

const bits = (s: string) => [...s].map((c) => (c === "1" ? 1 : 0));

export function accuracyOf(correct: string): Accuracy {
  const k = bits(correct).reduce((a: number, b) => a + b, 0), n = correct.length;
  if (n === 0) throw new RangeError("accuracyOf: no examples");
  const { lower, upper } = wilson(k, n);
  return { value: k / n, n, lower, upper };
}

const pct = (x: number) => (100 * x).toFixed(1);
const cell = (a: Accuracy) => `${pct(a.value)} [${pct(a.lower)}, ${pct(a.upper)}]`;
const p3 = (p: number) => (p < 0.001 ? "<0.001" : p.toFixed(3));

function compare(
  domain: string,
  method: string,
  baseline: string,
  a: string,
  b: string,
): Omit<MetaKdComparison, "pHolm"> {
  if (a.length !== b.length) {
    throw new RangeError(`meta-kd report: ${domain} ${method} and ${baseline} differ in n`);
  }
  const m = mcnemarPaired(bits(a), bits(b));
  return {
    domain,
    method,
    baseline,
    difference: 100 * (accuracyOf(a).value - accuracyOf(b).value),
    b: m.b,
    c: m.c,
    n: a.length,
    pValue: m.pValue,
  };
}

export function metaKdReport(input: {
  domains: readonly AmazonDomain[];
  teachers: readonly MetaTeacherResult[];
  students: readonly MetaStudentResult[];
  /** The initial SST-2 classifier on every domain's test (no Amazon training). */
  reference: Record<string, string>;
}): MetaKdReport {
  const { domains, students } = input;
  const rows: MetaKdRow[] = students.map((s) => ({
    domain: s.domain,
    method: s.name,
    accuracy: accuracyOf(s.test),
    correct: s.test,
    params: s.params,
    steps: s.steps,
  }));
  const rowOf = (d: string, m: string) => rows.find((r) => r.domain === d && r.method === m);
  const raw: Omit<MetaKdComparison, "pHolm">[] = [];
  for (const d of domains) {
    const base = BASELINES.map((m) => rowOf(d, m)).filter((r) => r !== undefined)
      .sort((a, b) => b.accuracy.value - a.accuracy.value)[0];
    if (!base) continue;
    for (const m of ["meta-kd", "unseen-meta-kd"]) {
      const r = rowOf(d, m);
      if (r) raw.push(compare(d, m, base.method, r.correct, base.correct));
    }
  }
  const adjusted = holm(raw.map((c) => c.pValue));
  const comparisons = raw.map((c, i) => ({ ...c, pHolm: adjusted[i] }));
  const concat = (m: string) => {
    const parts = domains.map((d) => rowOf(d, m)?.correct);
    return parts.every((x) => x !== undefined) ? parts.join("") : null;
  };
  const pooledRaw: Omit<MetaKdComparison, "pHolm">[] = [];
  const meta = concat("meta-kd");
  for (const b of BASELINES) {
    const other = concat(b);
    if (meta && other) pooledRaw.push(compare("all", "meta-kd", b, meta, other));
  }
  const pooledAdj = holm(pooledRaw.map((c) => c.pValue));
  const pooled = pooledRaw.map((c, i) => ({ ...c, pHolm: pooledAdj[i] }));
  const teachers = [
    { name: "SST-2 teacher (no Amazon training)", domains: [], test: input.reference },
    ...input.teachers.map((t) => ({ name: t.name, domains: t.domains, test: t.test })),
  ].map((t) => ({
    name: t.name,
    domains: t.domains as string[],
    test: Object.fromEntries(domains.map((d) => [d, accuracyOf(t.test[d])])),
  }));
  const metaTeacher = input.teachers.find((t) => t.name === "meta");
  const similarity = metaTeacher?.transferability
    ? { domains: [...metaTeacher.domains], matrix: metaTeacher.transferability.similarity }
    : null;
  const charts: Record<string, string> = {};
  if (similarity) {
    charts["domain_similarity.svg"] = heatmap(similarity.matrix, similarity.domains, {
      title: "Domain similarity: cosine between domain centroids",
      subtitle: "mean last-layer token state of the masked LM, training reviews",
      label: "cosine",
    }).svg;
    charts["transferability.svg"] = distributionChart(metaTeacher!.transferability!.weights, {
      title: "Transferability weight of each training review, per domain",
      subtitle: "(cos(h, own centroid) + cos(h, mean of the other centroids)) / 2",
      label: "transferability weight w",
    }).svg;
  }
  return {
    rows,
    comparisons,
    pooled,
    teachers,
    similarity,
    markdown: markdown(domains, rows, comparisons, pooled, teachers, similarity),
    charts,
  };
}

function markdown(
  domains: readonly string[],
  rows: MetaKdRow[],
  comparisons: MetaKdComparison[],
  pooled: MetaKdComparison[],
  teachers: MetaKdReport["teachers"],
  similarity: MetaKdReport["similarity"],
): string {
  const n = rows[0]?.accuracy.n ?? 0;
  const methods = Object.keys(META_KD_METHODS).filter((m) => rows.some((r) => r.method === m));
  const out: string[] = [
    `## Students: test accuracy % [95% Wilson interval], n = ${n} per domain`,
    "",
    `| student | params | ${domains.join(" | ")} | mean |`,
    `|---|---:|${domains.map(() => "---:").join("|")}|---:|`,
  ];
  for (const m of methods) {
    const rs = domains.map((d) => rows.find((r) => r.domain === d && r.method === m));
    const mean = rs.reduce((a, r) => a + (r?.accuracy.value ?? NaN), 0) / rs.length;
    out.push(
      `| ${META_KD_METHODS[m]} | ${((rs[0]?.params ?? NaN) / 1e6).toFixed(2)}M | ` +
        `${rs.map((r) => (r ? cell(r.accuracy) : "n/a")).join(" | ")} | ${pct(mean)} |`,
    );
  }
  out.push(
    "",
    "## Paired tests against the domain's best baseline (exact McNemar, Holm over the table)",
    "",
    "| domain | student | best baseline | difference (points) | right only with it / only with " +
      "the baseline | p | p (Holm) |",
    "|---|---|---|---:|---:|---:|---:|",
    ...comparisons.map((c) =>
      `| ${c.domain} | ${META_KD_METHODS[c.method]} | ${META_KD_METHODS[c.baseline]} | ` +
      `${c.difference >= 0 ? "+" : ""}${c.difference.toFixed(1)} | ${c.b} / ${c.c} | ` +
      `${p3(c.pValue)} | ${p3(c.pHolm)} |`
    ),
    "",
    `## Pooled over the ${domains.length} domains (n = ${pooled[0]?.n ?? 0}): Meta-KD against ` +
      "each baseline",
    "",
    "| baseline | difference (points) | right only with Meta-KD / only with the baseline | p | " +
      "p (Holm) |",
    "|---|---:|---:|---:|---:|",
    ...pooled.map((c) =>
      `| ${META_KD_METHODS[c.baseline]} | ${c.difference >= 0 ? "+" : ""}${
        c.difference.toFixed(1)
      } | ${c.b} / ${c.c} | ${p3(c.pValue)} | ${p3(c.pHolm)} |`
    ),
    "",
    verdict(comparisons, pooled),
    "",
    `## Teachers: test accuracy % [95% interval] on every domain (n = ${n} each)`,
    "",
    `| teacher | trained on | ${domains.join(" | ")} |`,
    `|---|---|${domains.map(() => "---:").join("|")}|`,
    ...teachers.map((t) =>
      `| ${t.name} | ${t.domains.join(", ") || "SST-2 only"} | ${
        domains.map((d) => cell(t.test[d])).join(" | ")
      } |`
    ),
  );
  if (similarity) {
    out.push(
      "",
      "## Domain similarity (cosine of domain centroids; charts/domain_similarity.svg)",
      "",
      `| | ${similarity.domains.join(" | ")} |`,
      `|---|${similarity.domains.map(() => "---:").join("|")}|`,
      ...similarity.matrix.map((r, i) =>
        `| ${similarity.domains[i]} | ${r.map((v) => v.toFixed(4)).join(" | ")} |`
      ),
    );
  }
  return out.join("\n");
}

function verdict(comparisons: MetaKdComparison[], pooled: MetaKdComparison[]): string {
  const sig = comparisons.filter((c) => c.pHolm < 0.05);
  const pooledSig = pooled.filter((c) => c.pHolm < 0.05);
  const per = sig.length === 0
    ? `No per-domain difference against the best baseline is significant after Holm ` +
      `(${comparisons.length} tests).`
    : `Significant after Holm: ${
      sig.map((c) =>
        `${c.domain} ${c.method} ${c.difference >= 0 ? "+" : ""}${c.difference.toFixed(1)}`
      ).join(", ")
    }.`;
  const all = pooledSig.length === 0
    ? "Pooled over the domains, Meta-KD differs significantly from no baseline."
    : `Pooled over the domains, significant: ${
      pooledSig.map((c) =>
        `vs ${c.baseline} ${c.difference >= 0 ? "+" : ""}${c.difference.toFixed(1)} points`
      ).join(", ")
    }.`;
  return `${per} ${all}`;
}
