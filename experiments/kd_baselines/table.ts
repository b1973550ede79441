/**
 * The results table of `deno task kd-baselines`: rows, Markdown, and the JSON
 * written beside it.
 */
import { wilson } from "../../lib/stats/mod.ts";
import { formatSeconds } from "../_shared/project.ts";

export interface TableRow {
  name: string;
  style: string;
  /** Student parameters (`countParams()`; training-only projections excluded). */
  params: number;
  /** Teacher parameters / student parameters, both from `countParams()`. */
  compression: number;
  devAccuracy: number;
  /** Best accuracy on the held-out part of train (model selection), null in none. */
  validationAccuracy: number | null;
  /** Wall time of distill() including the held-out evaluations during training. */
  trainSeconds: number;
  steps: number;
  /** Mean time of one update (teacher targets, forward, backward, AdamW), evaluations excluded. */
  msPerStep: number;
  teacherSource: "cache" | "live" | "-";
  /** Checkpoint folder relative to the project, or why it was not saved. */
  checkpoint: string;
  /** Run folder relative to the project. */
  run: string;
  command: string;
}

export interface Table {
  /** Free text: teacher, budget, data, backend. */
  header: string[];
  rows: TableRow[];
}

const pct = (x: number | null) => x === null || Number.isNaN(x) ? "n/a" : `${(100 * x).toFixed(2)}`;

/** The table as Markdown (header lines as a paragraph, then one row per baseline). */
export function toMarkdown(table: Table): string {
  const lines = [
    "# KD baselines on SST-2",
    "",
    ...table.header.map((h) => `${h}  `),
    "",
    "| name | style | parameters | compression | SST-2 dev acc % [95% CI] | held-out val acc % " +
    "| training time | steps | ms/step | teacher targets | checkpoint | command |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|---|",
  ];
  for (const r of table.rows) {
    lines.push(
      `| ${r.name} | ${r.style} | ${r.params.toLocaleString("en-US")} | ${
        r.compression.toFixed(2)
      }x | ${pct(r.devAccuracy)} ${devInterval(r.devAccuracy)} | ${pct(r.validationAccuracy)} | ${
        formatSeconds(r.trainSeconds)
      } | ${r.steps} | ${
        r.msPerStep.toFixed(0)
      } | ${r.teacherSource} | ${r.checkpoint} | \`${r.command}\` |`,
    );
  }
  return lines.join("\n") + "\n";
}

/** A compact console view. */
export function toText(table: Table): string {
  const head = ["name", "params", "ratio", "dev acc", "val acc", "time", "steps", "ms/step"];
  const body = table.rows.map((r) => [
    r.name,
    r.params.toLocaleString("en-US"),
    `${r.compression.toFixed(2)}x`,
    pct(r.devAccuracy),
    pct(r.validationAccuracy),
    formatSeconds(r.trainSeconds),
    String(r.steps),
    r.msPerStep.toFixed(0),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const fmt = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i])).join("  ");
  return [...table.header, "", fmt(head), ...body.map(fmt)].join("\n");
}

/** Writes `table.md` and `table.json` into `dir`. */
export async function writeTable(table: Table, dir: string): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(`${dir}/table.md`, toMarkdown(table));
  await Deno.writeTextFile(`${dir}/table.json`, JSON.stringify(table, null, 2) + "\n");
}

/**
 * `--only` reruns: the earlier table's rows for the baselines not rerun are kept, the rerun ones
 * replaced, in `order`; the earlier header stays and `note` (what was rerun, when, how long) is
 * appended. Returns null when the two tables do not share their teacher line (header[0]): rows
 * distilled from different teachers are never merged.
 */
export function mergeTables(
  earlier: Table,
  fresh: Table,
  order: readonly string[],
  note: string,
): Table | null {
  if (earlier.header[0] !== fresh.header[0]) return null;
  const byName = new Map(earlier.rows.map((r) => [r.name, r]));
  for (const r of fresh.rows) byName.set(r.name, r);
  const rank = (n: string) => (order.indexOf(n) + order.length + 1) % (order.length + 1);
  const rows = [...byName.values()].sort((a, b) => rank(a.name) - rank(b.name));
  return { header: [...earlier.header, note], rows };
}

/** The table.json in `dir`, or null when there is none or it does not parse as a table. */
export async function readTable(dir: string): Promise<Table | null> {
  try {
    const t = JSON.parse(await Deno.readTextFile(`${dir}/table.json`)) as Table;
    return Array.isArray(t?.header) && Array.isArray(t?.rows) ? t : null;
  } catch {
    return null;
  }
}

/** The Wilson 95% interval of an SST-2 dev accuracy (872 examples). */
function devInterval(accuracy: number, n = 872): string {
  const w = wilson(Math.round(accuracy * n), n);
  return `[${(100 * w.lower).toFixed(1)}, ${(100 * w.upper).toFixed(1)}]`;
}
