/**
 * `presenceBoxplot`: robustness of architectures that contain an operation versus those that do
 * not, one panel per operation (box = quartiles, whiskers = 1.5 IQR, outliers as dots).
 * Which operations a row contains: `options.ops(row)`, else `row.ops` (a list of names), else
 * `row.opCounts` (name → count, present when > 0), else the ops of `row.genome` (GenomeLike).
 * By default operations are grouped into their family ("operation type": attention, ffn, conv,
 * pool, identity, zero; see `opFamily`); `group: "op"` compares exact operation names.
 */
import * as Plot from "@observablehq/plot";
import { Chart } from "./chart.ts";
import { type Field, fieldName, num, read } from "./_fields.ts";
import { isGenomeLike, opCounts, opFamily } from "./genome_like.ts";
import { renderSvg } from "./render_svg.ts";

export interface PresenceBoxplotOptions<T> {
  /** Operation(s) to compare. Default: every operation found, sorted by name. */
  op?: string | string[];
  /** Outcome. Default "robustness". */
  y?: Field<T>;
  /** The operations in a row (see the file comment for the default). */
  ops?: (row: T) => Iterable<string>;
  /** Compare operation families ("family", default) or exact operation names ("op"). */
  group?: "family" | "op";
  title?: string;
  subtitle?: string;
  width?: number;
  height?: number;
}

/** The default `ops` accessor described in the file comment. */
export function rowOps(row: unknown): Set<string> {
  const r = (row ?? {}) as Record<string, unknown>;
  if (Array.isArray(r.ops)) return new Set(r.ops.map(String));
  if (typeof r.opCounts === "object" && r.opCounts !== null) {
    return new Set(Object.entries(r.opCounts).filter(([, n]) => Number(n) > 0).map(([k]) => k));
  }
  if (isGenomeLike(r.genome)) return new Set(opCounts(r.genome).keys());
  return new Set();
}

export function presenceBoxplot<T>(
  rows: readonly T[],
  options: PresenceBoxplotOptions<T> = {},
): Chart {
  const { y = "robustness", height = 300 } = options;
  const { group = "family" } = options;
  const opsOf = (row: T) => {
    const names = [...(options.ops ? options.ops(row) : rowOps(row))];
    return new Set(group === "family" ? names.map(opFamily) : names);
  };
  const sets = rows.map(opsOf);
  const ops = options.op === undefined
    ? [...new Set(sets.flatMap((s) => [...s]))].sort()
    : Array.isArray(options.op)
    ? options.op
    : [options.op];
  const yName = fieldName(y, "y");
  const long: { op: string; presence: "with" | "without"; value: number }[] = [];
  for (const op of ops) {
    rows.forEach((row, i) => {
      const value = num(read(row, y, i));
      if (value !== undefined) {
        long.push({ op, presence: sets[i].has(op) ? "with" : "without", value });
      }
    });
  }
  const counts = new Map(
    ops.map((op) => [op, long.filter((d) => d.op === op && d.presence === "with").length]),
  );
  const total = rows.filter((row, i) => num(read(row, y, i)) !== undefined).length;
  const svg = renderSvg({
    title: options.title,
    subtitle: options.subtitle ??
      `${yName} with and without each operation (n with / n total under each panel)`,
    width: options.width ?? Math.max(320, 40 + ops.length * 110),
    height,
    marginBottom: 40,
    grid: true,
    fx: {
      label: null,
      tickFormat: (op: string) => `${op} (${counts.get(op)}/${total})`,
      domain: ops,
    },
    x: { label: null, domain: ["with", "without"] },
    y: { label: yName, nice: true },
    color: { domain: ["with", "without"], range: ["#4269d0", "#bbbbbb"] },
    marks: [
      Plot.boxY(long, { fx: "op", x: "presence", y: "value", fill: "presence", stroke: "#333" }),
    ],
  });
  return new Chart(svg, { title: options.title ?? `${yName} by operation presence` });
}
