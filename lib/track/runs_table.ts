/**
 * The text behind `deno task runs`: one line per run (experiment, id, status, start, wall
 * time, headline metrics from its summary) and a side-by-side comparison of two runs (params
 * that differ, summary numbers, the last value of each metric in each run).
 */
import { formatSeconds } from "./format_seconds.ts";
import type { RunData, RunSummary } from "./read.ts";

/** Up to `max` numbers of a summary, flattened with dots ("best.fitness 1.43"). */
export function headline(summary: Record<string, unknown> | null, max = 3): string {
  const out: string[] = [];
  const walk = (prefix: string, v: unknown, depth: number) => {
    if (out.length >= max) return;
    if (typeof v === "number" && Number.isFinite(v)) {
      out.push(`${prefix} ${Number.isInteger(v) ? v : v.toPrecision(4)}`);
    } else if (v !== null && typeof v === "object" && !Array.isArray(v) && depth < 2) {
      for (const [k, x] of Object.entries(v)) walk(prefix ? `${prefix}.${k}` : k, x, depth + 1);
    }
  };
  walk("", summary ?? {}, 0);
  return out.join(", ");
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

export function runsTable(runs: readonly RunSummary[]): string {
  if (runs.length === 0) return "no runs";
  return table(
    ["experiment", "run", "status", "start (UTC)", "wall", "headline"],
    runs.map((r) => [
      r.experiment,
      r.runId,
      r.status,
      r.start ? r.start.slice(0, 16).replace("T", " ") : "-",
      r.start && r.end ? formatSeconds((Date.parse(r.end) - Date.parse(r.start)) / 1000) : "-",
      r.status === "unreadable" ? (r.error ?? "").slice(0, 60) : headline(r.summary),
    ]),
  );
}

function flat(prefix: string, v: unknown, out: Map<string, string>, depth = 0): void {
  if (v !== null && typeof v === "object" && !Array.isArray(v) && depth < 4) {
    for (const [k, x] of Object.entries(v)) flat(prefix ? `${prefix}.${k}` : k, x, out, depth + 1);
  } else out.set(prefix, JSON.stringify(v));
}

function lastMetrics(run: RunData): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of run.metrics) {
    const ctx = Object.entries(m.context).map(([k, v]) => `${k}=${v}`).sort().join(",");
    out.set(ctx ? `${m.name} {${ctx}}` : m.name, m.value);
  }
  return out;
}

const cut = (s: string | undefined, n = 40) =>
  s === undefined ? "-" : s.length > n ? `${s.slice(0, n - 1)}…` : s;

const short = (s: string | undefined) =>
  s === undefined ? "-" : Number.isInteger(Number(s)) ? s : Number(s).toPrecision(4);

/** Two runs side by side: differing params, summary numbers, last metric values. */
export function compareRuns(a: RunData, b: RunData): string {
  const name = (r: RunData) => `${r.info.experiment}/${r.info.runId}`;
  const pa = new Map<string, string>(), pb = new Map<string, string>();
  flat("", a.info.params, pa);
  flat("", b.info.params, pb);
  pa.set("seed", String(a.info.seed));
  pb.set("seed", String(b.info.seed));
  const keys = [...new Set([...pa.keys(), ...pb.keys()])].sort();
  const differing = keys.filter((k) => pa.get(k) !== pb.get(k));
  const sa = new Map<string, string>(), sb = new Map<string, string>();
  flat("", a.info.summary ?? {}, sa);
  flat("", b.info.summary ?? {}, sb);
  const sKeys = [...new Set([...sa.keys(), ...sb.keys()])].sort()
    .filter((k) => /^-?[\d.e+-]+$/.test(sa.get(k) ?? sb.get(k) ?? ""));
  const ma = lastMetrics(a), mb = lastMetrics(b);
  const mKeys = [...new Set([...ma.keys(), ...mb.keys()])].sort();
  const num = (v: number | undefined) => v === undefined ? "-" : v.toPrecision(4);
  const header = ["", cut(name(a)), cut(name(b))];
  return [
    `A ${a.dir} (${a.info.status}, commit ${a.info.git.commit.slice(0, 10)})`,
    `B ${b.dir} (${b.info.status}, commit ${b.info.git.commit.slice(0, 10)})`,
    "",
    `params that differ (${differing.length} of ${keys.length}):`,
    differing.length
      ? table(header, differing.map((k) => [k, cut(pa.get(k)), cut(pb.get(k))]))
      : "(none)",
    "",
    "summary:",
    sKeys.length
      ? table(header, sKeys.map((k) => [k, short(sa.get(k)), short(sb.get(k))]))
      : "(none)",
    "",
    "last value of each metric:",
    mKeys.length
      ? table(header, mKeys.map((k) => [cut(k, 60), num(ma.get(k)), num(mb.get(k))]))
      : "(none)",
  ].join("\n");
}
