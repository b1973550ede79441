/**
 * `statScatter`: robustness against architecture statistics (RoSearch's closing analysis: which
 * properties of a student go with robustness). One small chart per statistic (each with its own
 * x scale), dots plus a least-squares line with its confidence band (Plot.linearRegressionY),
 * titled with Pearson's r and the number of points.
 */
import * as Plot from "@observablehq/plot";
import { Chart } from "./chart.ts";
import { type Field, fieldName, num, read } from "./_fields.ts";
import { pearson } from "./_stats.ts";
import { renderSvgGrid } from "./render_svg.ts";

export interface StatScatterOptions<T> {
  /** One statistic or several (field names or accessors). Required. */
  stat: Field<T> | Field<T>[];
  /** Outcome. Default "robustness". */
  y?: Field<T>;
  /** Confidence level of the band; 0 for none. Default 0.95. */
  ci?: number;
  /** Charts per row. Default: as many 320-pixel charts as fit in 960 pixels. */
  columns?: number;
  title?: string;
  subtitle?: string;
  /** Size of each small chart. Defaults 320 x 240. */
  width?: number;
  height?: number;
}

export function statScatter<T>(rows: readonly T[], options: StatScatterOptions<T>): Chart {
  const { y = "robustness", ci = 0.95, width = 320, height = 240 } = options;
  if (options.stat === undefined) {
    throw new TypeError("statScatter needs options.stat: a field name or a list");
  }
  const stats = Array.isArray(options.stat) ? options.stat : [options.stat];
  const yName = fieldName(y, "y");
  const charts = stats.map((stat, k) => {
    const name = fieldName(stat, `stat ${k + 1}`);
    const pts = rows
      .map((row, i) => ({ x: num(read(row, stat, i)), y: num(read(row, y, i)) }))
      .filter((p): p is { x: number; y: number } => p.x !== undefined && p.y !== undefined);
    const r = pearson(pts.map((p) => p.x), pts.map((p) => p.y));
    const marks: Plot.Markish[] = [
      Plot.dot(pts, { x: "x", y: "y", r: 3, fill: "#4269d0", fillOpacity: 0.8 }),
    ];
    if (pts.length >= 2) {
      marks.unshift(
        Plot.linearRegressionY(pts, {
          x: "x",
          y: "y",
          ci,
          stroke: "#d62728",
          fill: "#d62728",
          clip: true,
        }),
      );
    }
    return {
      title: `${name} (r = ${Number.isNaN(r) ? "n/a" : r.toFixed(2)}, n = ${pts.length})`,
      width,
      height,
      grid: true,
      x: { label: name, nice: true },
      y: { label: yName, nice: true },
      marks,
    } satisfies Plot.PlotOptions;
  });
  const svg = renderSvgGrid(charts, {
    title: options.title,
    subtitle: options.subtitle,
    columns: options.columns,
  });
  return new Chart(svg, { title: options.title ?? `${yName} vs architecture statistics` });
}
