/**
 * `lineChart`: curves over a step axis, e.g. training curves from a run's metrics.jsonl
 * (`{ step, loss, accuracy }` rows). Several `y` fields are drawn as one small chart each (loss
 * and accuracy have different scales) unless `facet: false`; `series` splits each chart into
 * coloured lines (e.g. one per run). Rows where a field is missing are skipped for that field,
 * so metrics logged at different steps mix freely.
 */
import * as Plot from "@observablehq/plot";
import { Chart } from "./chart.ts";
import { type Field, fieldName, num, read } from "./_fields.ts";
import { renderSvg, renderSvgGrid } from "./render_svg.ts";

export interface LineChartOptions<T> {
  /** Step axis. Default "step". */
  x?: Field<T>;
  /** One field or several. Default "loss". */
  y?: Field<T> | Field<T>[];
  /** Field naming the series (one line each). Default: none. */
  series?: Field<T>;
  /** One chart per y field. Default true when there are several. */
  facet?: boolean;
  /** Dots at each point as well. Default: true when a series has at most 30 points. */
  dots?: boolean;
  title?: string;
  subtitle?: string;
  /** Size of each chart. Defaults: 640 x 300, or 420 x 260 per small chart. */
  width?: number;
  height?: number;
}

interface Pt {
  x: number;
  y: number;
  series: string;
  field: string;
}

export function lineChart<T>(data: readonly T[], options: LineChartOptions<T> = {}): Chart {
  const { x = "step" } = options;
  const ys = Array.isArray(options.y) ? options.y : [options.y ?? "loss"];
  const facet = options.facet ?? ys.length > 1;
  const xName = fieldName(x, "step");
  const pointsFor = (y: Field<T>, k: number): Pt[] => {
    const field = fieldName(y, `y${k + 1}`);
    const out: Pt[] = [];
    data.forEach((row, i) => {
      const px = num(read(row, x, i)), py = num(read(row, y, i));
      if (px === undefined || py === undefined) return;
      const series = options.series === undefined ? field : String(read(row, options.series, i));
      out.push({
        x: px,
        y: py,
        series: facet || options.series === undefined ? series : `${series} ${field}`,
        field,
      });
    });
    return out;
  };
  const marksFor = (pts: Pt[], colored: boolean): Plot.Markish[] => {
    const stroke = colored ? "series" : "#4269d0";
    const perSeries = Math.max(0, ...countBy(pts));
    const marks: Plot.Markish[] = [
      Plot.line(pts, { x: "x", y: "y", z: "series", stroke, strokeWidth: 1.5 }),
    ];
    if (options.dots ?? perSeries <= 30) {
      marks.push(Plot.dot(pts, { x: "x", y: "y", fill: stroke, r: 2 }));
    }
    return marks;
  };
  const colored = options.series !== undefined || (!facet && ys.length > 1);
  let svg: string;
  if (facet) {
    const charts = ys.map((y, k) => {
      const pts = pointsFor(y, k);
      return {
        title: fieldName(y, `y${k + 1}`),
        width: options.width ?? 420,
        height: options.height ?? 260,
        grid: true,
        x: { label: xName },
        y: { label: null, nice: true },
        color: colored ? { legend: true } : undefined,
        marks: marksFor(pts, colored),
      } satisfies Plot.PlotOptions;
    });
    svg = renderSvgGrid(charts, { title: options.title, subtitle: options.subtitle });
  } else {
    const pts = ys.flatMap(pointsFor);
    svg = renderSvg({
      title: options.title,
      subtitle: options.subtitle,
      width: options.width ?? 640,
      height: options.height ?? 300,
      grid: true,
      x: { label: xName },
      y: { label: ys.length === 1 ? fieldName(ys[0], "y") : null, nice: true },
      color: colored ? { legend: true } : undefined,
      marks: marksFor(pts, colored),
    });
  }
  return new Chart(svg, {
    title: options.title ??
      `${ys.map((y, k) => fieldName(y, `y${k + 1}`)).join(", ")} over ${xName}`,
  });
}

function countBy(pts: Pt[]): number[] {
  const m = new Map<string, number>();
  for (const p of pts) m.set(p.series, (m.get(p.series) ?? 0) + 1);
  return [...m.values()];
}
