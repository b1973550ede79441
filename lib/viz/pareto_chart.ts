/**
 * `paretoChart`: accuracy vs robustness vs size for searched candidates and baselines.
 *
 * Each candidate is a dot at (size, robustness) coloured by accuracy. The Pareto front of the
 * searched candidates in the plotted plane (size better when smaller for parameter counts, larger
 * for compression ratios; robustness better when larger) is drawn as a staircase line with its
 * members ringed. Baselines (hand-designed students) are drawn as black-edged diamonds with their
 * names; they are compared against the front but not part of it. The front is two-dimensional on
 * purpose: accuracy is shown by colour, not used for dominance (pass `frontOn` to change that).
 */
import * as Plot from "@observablehq/plot";
import { Chart } from "./chart.ts";
import { type Field, fieldName, num, read } from "./_fields.ts";
import { type Direction, paretoFront2d } from "./_stats.ts";
import { renderSvg } from "./render_svg.ts";

export interface ParetoChartOptions<T> {
  /** Size axis: "params" (default), "compression", or any numeric field. */
  x?: Field<T>;
  /** Robustness axis. Default "robustness". */
  y?: Field<T>;
  /** Colour (continuous, viridis). Default "accuracy"; `null` for none. */
  color?: Field<T> | null;
  /** Text for baselines (and tooltips). Default: `name`, else `id`, else the index. */
  label?: Field<T>;
  /** Marks a row as a baseline. Default: `row.baseline === true || row.kind === "baseline"`. */
  baseline?: (row: T) => boolean;
  /** Which way is better on x. Default: "lower" for params/latency/size fields, else "higher". */
  xBetter?: Direction;
  /** Which way is better on y. Default "higher". */
  yBetter?: Direction;
  /** Log-scale x. Default: true when x is "params". */
  logX?: boolean;
  /** Label every front member, not only the baselines. Default false. */
  labelFront?: boolean;
  title?: string;
  subtitle?: string;
  xLabel?: string;
  yLabel?: string;
  width?: number;
  height?: number;
}

interface Point {
  x: number;
  y: number;
  c: number | undefined;
  label: string;
  baseline: boolean;
}

const FRONT_COLOR = "#d62728";

export function paretoChart<T>(
  candidates: readonly T[],
  options: ParetoChartOptions<T> = {},
): Chart {
  const {
    x = "params",
    y = "robustness",
    color = "accuracy",
    yBetter = "higher",
    labelFront = false,
    width = 640,
    height = 400,
  } = options;
  const xName = fieldName(x, "x");
  const xBetter = options.xBetter ??
    (/param|latency|size|flops|bytes/i.test(xName) ? "lower" : "higher");
  const logX = options.logX ?? xName === "params";
  const isBaseline = options.baseline ?? ((row: T) => {
    const r = row as Record<string, unknown>;
    return r.baseline === true || r.kind === "baseline";
  });
  const labelOf = (row: T, i: number): string => {
    if (options.label !== undefined) return String(read(row, options.label, i) ?? i);
    const r = row as Record<string, unknown>;
    return String(r.name ?? r.id ?? i);
  };
  const points: Point[] = [];
  candidates.forEach((row, i) => {
    const px = num(read(row, x, i)), py = num(read(row, y, i));
    if (px === undefined || py === undefined) return;
    points.push({
      x: px,
      y: py,
      c: color === null ? undefined : num(read(row, color, i)),
      label: labelOf(row, i),
      baseline: isBaseline(row),
    });
  });
  const searched = points.filter((p) => !p.baseline);
  const baselines = points.filter((p) => p.baseline);
  const front = paretoFront2d(searched, { x: xBetter, y: yBetter })
    .map((i) => searched[i])
    .sort((a, b) => a.x - b.x || a.y - b.y);
  // Staircase of the attained region: horizontal first when smaller x is better.
  const curve = (xBetter === "lower") === (yBetter === "higher") ? "step-after" : "step-before";
  const colorName = color === null ? "" : fieldName(color, "colour");
  const tip = (p: Point) =>
    `${p.label}\n${xName}: ${fmt(p.x)}\n${fieldName(y, "y")}: ${fmt(p.y)}` +
    (p.c === undefined ? "" : `\n${colorName}: ${fmt(p.c)}`);
  const fill = color === null ? "#4269d0" : "c";
  const marks: Plot.Markish[] = [
    Plot.line(front, {
      x: "x",
      y: "y",
      curve,
      stroke: FRONT_COLOR,
      strokeWidth: 1.5,
      strokeOpacity: 0.8,
    }),
    Plot.dot(searched, {
      x: "x",
      y: "y",
      fill,
      r: 4,
      stroke: "white",
      strokeWidth: 0.5,
      title: tip,
    }),
    Plot.dot(front, { x: "x", y: "y", r: 7, stroke: FRONT_COLOR, strokeWidth: 1.5 }),
    Plot.dot(baselines, {
      x: "x",
      y: "y",
      fill,
      symbol: "diamond2",
      r: 6,
      stroke: "black",
      strokeWidth: 1.2,
      title: tip,
    }),
    Plot.text(baselines, { x: "x", y: "y", text: "label", dy: -12, fontWeight: "bold" }),
  ];
  if (labelFront) {
    marks.push(Plot.text(front, { x: "x", y: "y", text: "label", dy: 12, fill: FRONT_COLOR }));
  }
  const svg = renderSvg({
    title: options.title,
    subtitle: options.subtitle ??
      `Pareto front (red) of ${searched.length} candidates; ◆ baselines`,
    width,
    height,
    grid: true,
    x: { label: options.xLabel ?? xName, type: logX ? "log" : "linear", nice: !logX },
    y: { label: options.yLabel ?? fieldName(y, "y"), nice: true },
    color: color === null
      ? undefined
      : { label: colorName, scheme: "viridis", legend: points.some((p) => p.c !== undefined) },
    marks,
  });
  return new Chart(svg, { title: options.title ?? `Pareto: ${fieldName(y, "y")} vs ${xName}` });
}

function fmt(v: number): string {
  return Math.abs(v) >= 1e4 ? v.toExponential(2) : String(Math.round(v * 1e4) / 1e4);
}
