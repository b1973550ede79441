/**
 * `RunSummary`: a run at a glance, from its info (run.json: id, name, seed, status, config, …)
 * and its last metrics (the last metrics.jsonl record, or the whole list, whose last entry is
 * used). Nested objects are flattened to dotted keys. The run-record format belongs to the track
 * area; this view accepts any JSON-like objects.
 */
import { DisplayObject } from "./_display.ts";
import { flatten, formatValue } from "./_format.ts";
import { CAPTION_STYLE, TABLE_STYLE, TD_STYLE } from "./_html.ts";
import { textTable } from "./_text_table.ts";
import { escapeHtml } from "./escape_html.ts";

export interface RunSummaryInput {
  info: Record<string, unknown>;
  metrics?: Record<string, unknown> | readonly Record<string, unknown>[];
}

export interface RunSummaryOptions {
  /** Decimals for non-integer numbers. Default 4. */
  digits?: number;
}

export class RunSummary extends DisplayObject {
  readonly info: Record<string, unknown>;
  readonly lastMetrics: Record<string, unknown> | undefined;
  readonly #digits: number;

  constructor(input: RunSummaryInput, options: RunSummaryOptions = {}) {
    super();
    if (typeof input?.info !== "object" || input.info === null) {
      throw new TypeError("RunSummary expects { info: object, metrics?: object | object[] }");
    }
    this.info = input.info;
    const m = input.metrics;
    this.lastMetrics = Array.isArray(m)
      ? m[m.length - 1]
      : (m as Record<string, unknown> | undefined);
    this.#digits = options.digits ?? 4;
  }

  get title(): string {
    const i = this.info;
    const name = i.name ?? i.id ?? "run";
    return `Run ${String(name)}${i.status !== undefined ? ` (${String(i.status)})` : ""}`;
  }

  /** [section, key, formatted value] rows. */
  sections(): [string, [string, string][]][] {
    const fmt = (v: unknown) => formatValue(v, { digits: this.#digits });
    const { config, ...rest } = this.info as Record<string, unknown> & { config?: unknown };
    const out: [string, [string, string][]][] = [[
      "run",
      flatten(rest).map(([k, v]) => [k, fmt(v)]),
    ]];
    if (typeof config === "object" && config !== null) {
      out.push(["config", flatten(config as Record<string, unknown>).map(([k, v]) => [k, fmt(v)])]);
    }
    if (this.lastMetrics) {
      out.push(["last metrics", flatten(this.lastMetrics).map(([k, v]) => [k, fmt(v)])]);
    }
    return out;
  }

  toHtml(): string {
    const body = this.sections()
      .map(([section, rows]) =>
        `<tr><th colspan="2" style="${TD_STYLE};text-align:left;background:#f4f4f4">${
          escapeHtml(section)
        }</th></tr>` +
        rows.map(([k, v]) =>
          `<tr><td style="${TD_STYLE};color:#555">${escapeHtml(k)}</td><td style="${TD_STYLE}">${
            escapeHtml(v)
          }</td></tr>`
        ).join("")
      )
      .join("");
    return `<table style="${TABLE_STYLE}"><caption style="${CAPTION_STYLE}">${
      escapeHtml(this.title)
    }</caption><tbody>${body}</tbody></table>`;
  }

  toString(): string {
    const rows = this.sections().flatMap(([section, kv]) => kv.map(([k, v]) => [section, k, v]));
    return `${this.title}\n${textTable(["section", "key", "value"], rows)}`;
  }
}
