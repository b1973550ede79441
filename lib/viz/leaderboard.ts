/**
 * `Leaderboard`: candidates ranked by fitness with their key metrics and an inline architecture
 * summary: a strip of small squares, one per node coloured by op family, cells separated by a gap
 * (HTML), and the text summary `E128 H256 L4 | mhsa_4×3 …` (both). Candidates without a finite
 * fitness go last. Ties keep the input order.
 */
import { DisplayObject } from "./_display.ts";
import { type Field, fieldName, num, read } from "./_fields.ts";
import { formatValue } from "./_format.ts";
import { CAPTION_STYLE, NUM_STYLE, TABLE_STYLE, TD_STYLE, TH_STYLE } from "./_html.ts";
import { textTable } from "./_text_table.ts";
import { escapeHtml } from "./escape_html.ts";
import {
  type GenomeLike,
  genomeSummary,
  isGenomeLike,
  OP_FAMILY_COLORS,
  opFamily,
} from "./genome_like.ts";

export interface LeaderboardOptions<T> {
  /** Ranking field. Default "fitness". */
  fitness?: Field<T>;
  /** Which way is better. Default "higher". */
  better?: "higher" | "lower";
  /**
   * Metric columns. Default: those of accuracy, robustness, params, compression present in the
   * rows.
   */
  metrics?: string[];
  /** Columns shown as percentages. Default: accuracy and robustness. */
  percent?: string[];
  /** Genome field. Default "genome". */
  genome?: Field<T>;
  /** Name column. Default: `name`, else `id`, else the input position. */
  label?: Field<T>;
  /** Rows shown. Default 10. */
  top?: number;
  title?: string;
}

interface Ranked<T> {
  rank: number;
  row: T;
  label: string;
  fitness: number | undefined;
  genome: GenomeLike | undefined;
}

export class Leaderboard<T = Record<string, unknown>> extends DisplayObject {
  readonly ranked: readonly Ranked<T>[];
  readonly metrics: readonly string[];
  readonly options: LeaderboardOptions<T>;

  constructor(candidates: readonly T[], options: LeaderboardOptions<T> = {}) {
    super();
    if (!Array.isArray(candidates)) {
      throw new TypeError("Leaderboard expects an array of candidates");
    }
    this.options = options;
    const { fitness = "fitness", better = "higher", genome = "genome" } = options;
    const sign = better === "higher" ? -1 : 1;
    const entries = candidates.map((row, i) => {
      const r = row as Record<string, unknown>;
      const g = read(row, genome, i);
      return {
        row,
        index: i,
        label: String(
          options.label !== undefined ? read(row, options.label, i) : r.name ?? r.id ?? `#${i + 1}`,
        ),
        fitness: num(read(row, fitness, i)),
        genome: isGenomeLike(g) ? g : undefined,
      };
    });
    entries.sort((a, b) => {
      if (a.fitness === undefined || b.fitness === undefined) {
        return (a.fitness === undefined ? 1 : 0) - (b.fitness === undefined ? 1 : 0) ||
          a.index - b.index;
      }
      return sign * (a.fitness - b.fitness) || a.index - b.index;
    });
    this.ranked = entries.map((e, k) => ({
      rank: k + 1,
      row: e.row,
      label: e.label,
      fitness: e.fitness,
      genome: e.genome,
    }));
    this.metrics = options.metrics ??
      ["accuracy", "robustness", "params", "compression"].filter((m) =>
        candidates.some((c) => (c as Record<string, unknown>)?.[m] !== undefined)
      );
  }

  #shown() {
    return this.ranked.slice(0, this.options.top ?? 10);
  }

  #metric(row: T, m: string): string {
    const percent = (this.options.percent ?? ["accuracy", "robustness"]).includes(m);
    return formatValue((row as Record<string, unknown>)[m], { digits: percent ? 3 : 3, percent });
  }

  #header(): string[] {
    return [
      "rank",
      "name",
      fieldName(this.options.fitness ?? "fitness", "fitness"),
      ...this.metrics,
      "architecture",
    ];
  }

  toHtml(): string {
    const head = this.#header()
      .map((h, i) =>
        `<th style="${TH_STYLE}${
          i === 1 || i === this.#header().length - 1 ? "" : `;${NUM_STYLE}`
        }">${escapeHtml(h)}</th>`
      )
      .join("");
    const num = `${TD_STYLE};${NUM_STYLE}`;
    const body = this.#shown()
      .map((e) =>
        `<tr><td style="${num}">${e.rank}</td><td style="${TD_STYLE}">${escapeHtml(e.label)}</td>` +
        `<td style="${num}">${escapeHtml(formatValue(e.fitness, { digits: 4 }))}</td>` +
        this.metrics.map((m) => `<td style="${num}">${escapeHtml(this.#metric(e.row, m))}</td>`)
          .join("") +
        `<td style="${TD_STYLE}">${
          e.genome
            ? `${genomeStrip(e.genome)} <span style="color:#555">${
              escapeHtml(genomeSummary(e.genome))
            }</span>`
            : ""
        }</td></tr>`
      )
      .join("");
    const caption = `<caption style="${CAPTION_STYLE}">${
      escapeHtml(this.options.title ?? "Leaderboard")
    }</caption>`;
    return `<table style="${TABLE_STYLE}">${caption}<thead><tr>${head}</tr></thead>` +
      `<tbody>${body}</tbody></table>`;
  }

  toString(): string {
    const rows = this.#shown().map((e) => [
      String(e.rank),
      e.label,
      formatValue(e.fitness, { digits: 4 }),
      ...this.metrics.map((m) => this.#metric(e.row, m)),
      e.genome ? genomeSummary(e.genome) : "",
    ]);
    const align = this.#header().map((_, i) =>
      (i === 1 || i === this.#header().length - 1 ? "left" : "right") as "left" | "right"
    );
    return `${this.options.title ?? "Leaderboard"}\n${textTable(this.#header(), rows, align)}`;
  }
}

/** Inline SVG strip: one 8x12 square per node coloured by op family, a gap between cells. */
export function genomeStrip(genome: GenomeLike): string {
  const parts: string[] = [];
  let x = 0;
  for (const cell of genome.cells) {
    for (const node of cell.nodes) {
      const family = opFamily(node.op);
      parts.push(
        `<rect x="${x}" y="0" width="8" height="12" fill="${OP_FAMILY_COLORS[family]}"><title>${
          escapeHtml(node.op)
        }</title></rect>`,
      );
      x += 9;
    }
    x += 5;
  }
  const width = Math.max(1, x - 5);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="12" ` +
    `viewBox="0 0 ${width} 12" style="vertical-align:middle">${parts.join("")}</svg>`;
}
