/** The results table of `deno task kd-baselines`: rows, Markdown, and the JSON written beside it. */
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
    "| name | style | parameters | compression | SST-2 dev acc % | held-out val acc % | training time | steps | ms/step | teacher targets | checkpoint | command |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|---|",
  ];
  for (const r of table.rows) {
    lines.push(
      `| ${r.name} | ${r.style} | ${r.params.toLocaleString("en-US")} | ${
        r.compression.toFixed(2)
      }x | ${pct(r.devAccuracy)} | ${pct(r.validationAccuracy)} | ${
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
