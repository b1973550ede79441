/**
 * `distributionChart`: the distribution of a value per group as box plots (median, quartiles,
 * whiskers at 1.5 IQR, outliers as dots), one row per group: e.g. Meta-KD's transferability
 * weights per domain.
 */
import * as Plot from "@observablehq/plot";
import { Chart } from "./chart.ts";
import { renderSvg } from "./render_svg.ts";

export interface DistributionChartOptions {
  title?: string;
  subtitle?: string;
  /** Axis label of the value. Default "value". */
  label?: string;
  width?: number;
}

export function distributionChart(
  groups: Readonly<Record<string, readonly number[]>>,
  options: DistributionChartOptions = {},
): Chart {
  const names = Object.keys(groups);
  if (names.length === 0) throw new RangeError("distributionChart: no group");
  const rows = names.flatMap((group) => groups[group].map((value) => ({ group, value })));
  if (rows.some((r) => !Number.isFinite(r.value))) {
    throw new RangeError("distributionChart: every value must be finite");
  }
  const svg = renderSvg({
    title: options.title,
    subtitle: options.subtitle,
    width: options.width ?? 640,
    height: 70 + 50 * names.length,
    marginLeft: 12 + 7 * Math.max(...names.map((s) => s.length)),
    x: { label: options.label ?? "value", grid: true, nice: true, inset: 12 },
    y: { domain: names, label: null },
    marks: [Plot.boxX(rows, { x: "value", y: "group" })],
  });
  return new Chart(svg, { title: options.title ?? "distribution" });
}
