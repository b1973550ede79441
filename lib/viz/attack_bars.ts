/**
 * `attackBars`: accuracy of each model under each attack (grouped bars: one group per model, one
 * bar per attack, "clean" included when present), values printed as percentages. Rows are long
 * format: `{ model, attack, accuracy }`.
 */
import * as Plot from "@observablehq/plot";
import { Chart } from "./chart.ts";
import { type Field, fieldName, num, read } from "./_fields.ts";
import { renderSvg } from "./render_svg.ts";

export interface AttackBarsOptions<T> {
  /** Model (group) field. Default "model". */
  model?: Field<T>;
  /** Attack (bar) field. Default "attack". */
  attack?: Field<T>;
  /** Accuracy field, a fraction in [0, 1]. Default "accuracy". */
  y?: Field<T>;
  title?: string;
  subtitle?: string;
  width?: number;
  height?: number;
}

export function attackBars<T>(rows: readonly T[], options: AttackBarsOptions<T> = {}): Chart {
  const { model = "model", attack = "attack", y = "accuracy", height = 340 } = options;
  const data = rows
    .map((row, i) => ({
      model: String(read(row, model, i)),
      attack: String(read(row, attack, i)),
      value: num(read(row, y, i)),
    }))
    .filter((d): d is { model: string; attack: string; value: number } => d.value !== undefined);
  const models = [...new Set(data.map((d) => d.model))];
  const attacks = [...new Set(data.map((d) => d.attack))];
  // "clean" first when present, then attacks in first-seen order.
  attacks.sort((a, b) => Number(b === "clean") - Number(a === "clean"));
  const yName = fieldName(y, "accuracy");
  const svg = renderSvg({
    title: options.title,
    subtitle: options.subtitle ?? `${yName} under attack, per model`,
    width: options.width ?? Math.max(360, 60 + models.length * (attacks.length * 36 + 24)),
    height,
    marginBottom: 36,
    fx: { label: null, domain: models, axis: "bottom" },
    x: { axis: null, domain: attacks, paddingOuter: 0.2 },
    y: { label: `${yName} (%)`, domain: [0, 100], grid: true },
    color: { domain: attacks, legend: true },
    marks: [
      Plot.barY(data, { fx: "model", x: "attack", y: (d) => d.value * 100, fill: "attack" }),
      Plot.text(data, {
        fx: "model",
        x: "attack",
        y: (d) => d.value * 100,
        text: (d) => (d.value * 100).toFixed(1),
        dy: -6,
      }),
      Plot.ruleY([0]),
    ],
  });
  return new Chart(svg, { title: options.title ?? `${yName} under attack` });
}
