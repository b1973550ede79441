/**
 * `fitnessCurve`: search progress. Every evaluation is a grey dot (x = evaluation number, in the
 * order given); the best fitness so far is a staircase line, and the evaluations that set a new
 * best are drawn in colour.
 */
import * as Plot from "@observablehq/plot";
import { Chart } from "./chart.ts";
import { type Field, fieldName, num, read } from "./_fields.ts";
import { renderSvg } from "./render_svg.ts";

export interface FitnessCurveOptions<T> {
  /** Fitness field of each history entry (ignored for plain numbers). Default "fitness". */
  y?: Field<T>;
  /** Evaluation number field; default the 1-based position in `history`. */
  x?: Field<T>;
  /** Which way is better. Default "higher". */
  better?: "higher" | "lower";
  title?: string;
  subtitle?: string;
  width?: number;
  height?: number;
}

export interface FitnessPoint {
  evaluation: number;
  fitness: number;
  best: number;
  improved: boolean;
}

/** Per evaluation: its fitness, the best so far, and whether it improved the best. */
export function bestSoFar<T>(
  history: readonly (T | number)[],
  options: Pick<FitnessCurveOptions<T>, "x" | "y" | "better"> = {},
): FitnessPoint[] {
  const { y = "fitness", better = "higher" } = options;
  const out: FitnessPoint[] = [];
  let best = NaN;
  history.forEach((entry, i) => {
    const fitness = typeof entry === "number" ? entry : num(read(entry as T, y, i));
    const evaluation = typeof entry === "number" || options.x === undefined
      ? i + 1
      : num(read(entry as T, options.x, i)) ?? i + 1;
    if (fitness === undefined || !Number.isFinite(fitness)) return;
    const improved = Number.isNaN(best) || (better === "higher" ? fitness > best : fitness < best);
    if (improved) best = fitness;
    out.push({ evaluation, fitness, best, improved });
  });
  return out;
}

export function fitnessCurve<T>(
  history: readonly (T | number)[],
  options: FitnessCurveOptions<T> = {},
): Chart {
  const { width = 640, height = 300 } = options;
  const points = bestSoFar(history, options);
  const yName = fieldName(options.y ?? "fitness", "fitness");
  const svg = renderSvg({
    title: options.title,
    subtitle: options.subtitle ?? `${points.length} evaluations; line: best so far`,
    width,
    height,
    grid: true,
    x: { label: "evaluation" },
    y: { label: yName, nice: true },
    marks: [
      Plot.dot(points, {
        x: "evaluation",
        y: "fitness",
        r: 2.5,
        fill: "#999",
        title: (d: FitnessPoint) => `#${d.evaluation}: ${d.fitness}`,
      }),
      Plot.line(points, {
        x: "evaluation",
        y: "best",
        curve: "step-after",
        stroke: "#4269d0",
        strokeWidth: 2,
      }),
      Plot.dot(points.filter((p) => p.improved), {
        x: "evaluation",
        y: "fitness",
        r: 3.5,
        fill: "#4269d0",
      }),
    ],
  });
  return new Chart(svg, { title: options.title ?? `Best ${yName} over evaluations` });
}
