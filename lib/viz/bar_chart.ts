/** `barChart`: one bar per row (vertical by default), optionally coloured by a category. */
import * as Plot from "@observablehq/plot";
import { Chart } from "./chart.ts";
import { type Field, fieldName } from "./_fields.ts";
import { renderSvg } from "./render_svg.ts";

export interface BarChartOptions<T> {
  /** Category field. Default "name". */
  x?: Field<T>;
  /** Value field. Default "value". */
  y?: Field<T>;
  /** Colour category; default: one colour. */
  color?: Field<T>;
  /** Horizontal bars (category on the y axis). Default false. */
  horizontal?: boolean;
  /** Print each value on its bar with this many decimals; `null` for none. Default 2. */
  digits?: number | null;
  title?: string;
  subtitle?: string;
  width?: number;
  height?: number;
}

export function barChart<T>(data: readonly T[], options: BarChartOptions<T> = {}): Chart {
  const { x = "name", y = "value", horizontal = false, digits = 2, width = 640, height = 360 } =
    options;
  const cat = fieldName(x, "category"), val = fieldName(y, "value");
  const rows = data.map((d, i) => ({
    cat: typeof x === "function" ? x(d, i) : (d as Record<string, unknown>)[x],
    val: Number(typeof y === "function" ? y(d, i) : (d as Record<string, unknown>)[y]),
    color: options.color === undefined
      ? undefined
      : typeof options.color === "function"
      ? options.color(d, i)
      : (d as Record<string, unknown>)[options.color],
  })).filter((r) => Number.isFinite(r.val));
  const fill = options.color === undefined ? "#4269d0" : "color";
  const label = (r: { val: number }) => digits === null ? "" : r.val.toFixed(digits);
  const domain = rows.map((r) => String(r.cat));
  const marks: Plot.Markish[] = horizontal
    ? [
      Plot.barX(rows, { y: (r) => String(r.cat), x: "val", fill }),
      Plot.text(rows, {
        y: (r) => String(r.cat),
        x: "val",
        text: label,
        dx: 4,
        textAnchor: "start",
      }),
      Plot.ruleX([0]),
    ]
    : [
      Plot.barY(rows, { x: (r) => String(r.cat), y: "val", fill }),
      Plot.text(rows, { x: (r) => String(r.cat), y: "val", text: label, dy: -6 }),
      Plot.ruleY([0]),
    ];
  const svg = renderSvg({
    title: options.title,
    subtitle: options.subtitle,
    width,
    height,
    marginLeft: horizontal
      ? Math.min(200, 12 + 6 * Math.max(0, ...domain.map((s) => s.length)))
      : undefined,
    x: horizontal ? { label: val, nice: true, grid: true } : { label: cat, domain },
    y: horizontal ? { label: cat, domain } : { label: val, nice: true, grid: true },
    color: options.color === undefined ? undefined : { legend: true },
    marks,
  });
  return new Chart(svg, { title: options.title ?? `${val} by ${cat}` });
}
