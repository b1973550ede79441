/**
 * Notebook display of one attacked example (Deno's Jupyter display protocol): labels with
 * confidences, then the original with replaced words highlighted in red and the perturbed text
 * with the new words in green. Every data string is HTML-escaped.
 */
import type { AttackResult } from "./attack_result.ts";
import { AttackedText } from "./attacked_text.ts";
import { escapeHtml } from "./_html.ts";

export class AttackResultView {
  readonly result: AttackResult;
  readonly labelNames?: readonly string[];

  constructor(result: AttackResult, options: { labelNames?: readonly string[] } = {}) {
    this.result = result;
    this.labelNames = options.labelNames;
  }

  #label(output: readonly number[]): { name: string; conf: string } {
    let best = 0;
    output.forEach((p, i) => {
      if (p > output[best]) best = i;
    });
    return {
      name: this.labelNames?.[best] ?? String(best),
      conf: `${Math.round(output[best] * 100)}%`,
    };
  }

  #html(text: AttackedText, changed: ReadonlySet<number>, color: string): string {
    return text.segments(changed).map((segs) =>
      segs.map((s) =>
        s.changed
          ? `<span style="background:${color};font-weight:600">${escapeHtml(s.text)}</span>`
          : escapeHtml(s.text)
      ).join("")
    ).map((col) => `<div>${col}</div>`).join("");
  }

  toHtml(): string {
    const r = this.result;
    const o = r.original.attackedText, p = r.perturbed.attackedText;
    const a = this.#label(r.original.output), b = this.#label(r.perturbed.output);
    const head = `<div><b>${escapeHtml(r.resultType)}</b>: ${escapeHtml(a.name)} (${a.conf}) → ` +
      (r.resultType === "SKIPPED" ? "[SKIPPED]" : `${escapeHtml(b.name)} (${b.conf})`) +
      ` · ${r.numQueries} queries · ${r.perturbedWordPercent.toFixed(1)}% words perturbed</div>`;
    const origChanged = r.resultType === "SKIPPED"
      ? new Set<number>()
      : AttackedText.changedOriginalIndices(o, p);
    const body = `<div style="margin:4px 0">${this.#html(o, origChanged, "#fcc")}</div>` +
      (r.resultType === "SKIPPED"
        ? ""
        : `<div style="margin:4px 0">${this.#html(p, p.attrs.modifiedIndices, "#cfc")}</div>`);
    return `<div style="font-family:sans-serif;font-size:13px">${head}${body}</div>`;
  }

  toString(): string {
    return this.result.toString();
  }

  /** The MIME bundle the Jupyter kernel shows. */
  toMimeBundle(): Record<string, string> {
    return { "text/html": this.toHtml(), "text/plain": this.toString() };
  }

  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return this.toMimeBundle();
  }
}
