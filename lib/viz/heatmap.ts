/**
 * `heatmap`: a square matrix (a similarity matrix) as coloured cells with their values. The
 * colour scale spans the off-diagonal values only (a similarity matrix's diagonal of 1s would
 * otherwise wash out every difference); diagonal cells are grey.
 */
import * as Plot from "@observablehq/plot";
import { Chart } from "./chart.ts";
import { renderSvg } from "./render_svg.ts";

export interface HeatmapOptions {
  title?: string;
  subtitle?: string;
  /** Decimals printed in each cell. Default 3. */
  digits?: number;
  /** Colour legend label. Default "value". */
  label?: string;
  width?: number;
}

export function heatmap(
  matrix: readonly (readonly number[])[],
  labels: readonly string[],
  options: HeatmapOptions = {},
): Chart {
  if (matrix.length !== labels.length || matrix.some((r) => r.length !== labels.length)) {
    throw new RangeError(
      `heatmap: a ${labels.length} x ${labels.length} matrix is needed for labels ` +
        `${labels.join(", ")}`,
    );
  }
  const { digits = 3, width = Math.max(480, 140 + 90 * labels.length) } = options;
  const cells = matrix.flatMap((row, i) =>
    row.map((value, j) => ({ row: labels[i], column: labels[j], value, diagonal: i === j }))
  );
  const off = cells.filter((c) => !c.diagonal);
  const lo = Math.min(...off.map((c) => c.value)), hi = Math.max(...off.map((c) => c.value));
  const dark = (v: number) => hi > lo && (v - lo) / (hi - lo) > 0.6;
  const svg = renderSvg({
    title: options.title,
    subtitle: options.subtitle,
    width,
    height: 80 + 60 * labels.length,
    marginLeft: 12 + 7 * Math.max(...labels.map((s) => s.length)),
    x: { domain: [...labels], label: null, axis: "top" },
    y: { domain: [...labels], label: null },
    color: {
      scheme: "blues",
      legend: true,
      label: `${options.label ?? "value"} (off-diagonal)`,
      ...(off.length > 0 && hi > lo ? { domain: [lo, hi] } : {}),
    },
    marks: [
      Plot.cell(off, { x: "column", y: "row", fill: "value", inset: 1 }),
      Plot.cell(cells.filter((c) => c.diagonal), {
        x: "column",
        y: "row",
        fill: "#e5e5e5",
        inset: 1,
      }),
      ...[true, false].map((light) =>
        Plot.text(cells.filter((c) => light === (!c.diagonal && dark(c.value))), {
          x: "column",
          y: "row",
          text: (d: { value: number }) => d.value.toFixed(digits),
          fill: light ? "white" : "black",
        })
      ),
    ],
  });
  return new Chart(svg, { title: options.title ?? "heatmap" });
}
