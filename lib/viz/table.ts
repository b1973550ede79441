/**
 * `Table`: an array of row objects as an HTML table (notebooks, reports) and an aligned text
 * table (terminals). Numbers are right-aligned and formatted (see `formatValue`); every cell and
 * header is HTML-escaped.
 */
import { DisplayObject } from "./_display.ts";
import { formatValue } from "./_format.ts";
import { CAPTION_STYLE, NUM_STYLE, TABLE_STYLE, TD_STYLE, TH_STYLE } from "./_html.ts";
import { textTable } from "./_text_table.ts";
import { escapeHtml } from "./escape_html.ts";

export interface TableOptions {
  /** Columns in order. Default: every key of every row, in first-seen order. */
  columns?: string[];
  /** Header text per column. Default: the column key. */
  headers?: Record<string, string>;
  /** Decimals for non-integer numbers. Default 3. */
  digits?: number;
  /** Columns printed as percentages. Default none. */
  percent?: string[];
  /** Custom formatter per column (its output is escaped too). */
  format?: Record<string, (value: unknown, row: Record<string, unknown>) => string>;
  /** Rows shown; the rest are counted in a footer. Default 50. */
  maxRows?: number;
  /** Title above the table. */
  caption?: string;
}

export class Table extends DisplayObject {
  readonly rows: readonly Record<string, unknown>[];
  readonly columns: readonly string[];
  readonly options: TableOptions;

  constructor(rows: readonly object[], options: TableOptions = {}) {
    super();
    if (!Array.isArray(rows)) {
      throw new TypeError(`Table expects an array of row objects, got ${typeof rows}`);
    }
    this.rows = rows as Record<string, unknown>[];
    this.options = options;
    this.columns = options.columns ?? [...new Set(this.rows.flatMap((r) => Object.keys(r ?? {})))];
  }

  /** The formatted text of one cell. */
  cell(row: Record<string, unknown>, column: string): string {
    const value = row?.[column];
    const custom = this.options.format?.[column];
    if (custom) return custom(value, row);
    return formatValue(value, {
      digits: this.options.digits,
      percent: this.options.percent?.includes(column) ?? false,
    });
  }

  /** True when every present value of the column is a number (right-aligned). */
  isNumeric(column: string): boolean {
    const values = this.rows.map((r) => r?.[column]).filter((v) => v !== undefined && v !== null);
    return values.length > 0 && values.every((v) => typeof v === "number");
  }

  #shown(): { rows: readonly Record<string, unknown>[]; hidden: number } {
    const max = this.options.maxRows ?? 50;
    return { rows: this.rows.slice(0, max), hidden: Math.max(0, this.rows.length - max) };
  }

  #header(column: string): string {
    return this.options.headers?.[column] ?? column;
  }

  toHtml(): string {
    const { rows, hidden } = this.#shown();
    const numeric = this.columns.map((c) => this.isNumeric(c));
    const caption = this.options.caption
      ? `<caption style="${CAPTION_STYLE}">${escapeHtml(this.options.caption)}</caption>`
      : "";
    const head = this.columns
      .map((c, i) =>
        `<th style="${TH_STYLE}${numeric[i] ? `;${NUM_STYLE}` : ""}">${
          escapeHtml(this.#header(c))
        }</th>`
      )
      .join("");
    const body = rows
      .map((r) =>
        `<tr>${
          this.columns
            .map((c, i) =>
              `<td style="${TD_STYLE}${numeric[i] ? `;${NUM_STYLE}` : ""}">${
                escapeHtml(this.cell(r, c))
              }</td>`
            )
            .join("")
        }</tr>`
      )
      .join("");
    const foot = hidden
      ? `<tfoot><tr><td colspan="${this.columns.length}" style="${TD_STYLE}">` +
        `… ${hidden} more rows</td></tr></tfoot>`
      : "";
    return `<table style="${TABLE_STYLE}">${caption}<thead><tr>${head}</tr></thead>` +
      `<tbody>${body}</tbody>${foot}</table>`;
  }

  toString(): string {
    const { rows, hidden } = this.#shown();
    const align = this.columns.map((c) =>
      (this.isNumeric(c) ? "right" : "left") as "left" | "right"
    );
    const text = textTable(
      this.columns.map((c) => this.#header(c)),
      rows.map((r) => this.columns.map((c) => this.cell(r, c))),
      align,
    );
    const title = this.options.caption ? `${this.options.caption}\n` : "";
    return title + text + (hidden ? `\n… ${hidden} more rows` : "");
  }
}
