/**
 * `AttackedExampleView`: one adversarial example, original above perturbed, changed words
 * highlighted (red in the original, green in the perturbed; `[[word]]` in plain text), with the
 * model's label before and after. Changed words come from `modifiedIndices` (word positions, as
 * TextAttack reports them for word swaps) when given, else from a word-level diff (positional when
 * both texts have the same number of words, longest common subsequence otherwise).
 */
import { DisplayObject } from "./_display.ts";
import { escapeHtml } from "./escape_html.ts";

export interface AttackedExample {
  original: string;
  perturbed: string;
  /** Word positions changed by the attack; default: computed by a word diff. */
  modifiedIndices?: readonly number[];
  originalLabel: string | number;
  perturbedLabel: string | number;
  /** Names for numeric labels (index → name). */
  labelNames?: readonly string[];
  /** Model confidence in its predicted label, before and after. */
  originalScore?: number;
  perturbedScore?: number;
  groundTruth?: string | number;
  /** e.g. "success", "failed", "skipped". */
  status?: string;
  numQueries?: number;
}

/** Whitespace-separated words. */
export function words(text: string): string[] {
  return text.split(/\s+/).filter((w) => w.length > 0);
}

/** Changed word positions in `a` and in `b` (LCS over words; positional when lengths match). */
export function diffWords(
  a: readonly string[],
  b: readonly string[],
): { a: Set<number>; b: Set<number> } {
  if (a.length === b.length) {
    const changed = new Set(a.map((w, i) => (w === b[i] ? -1 : i)).filter((i) => i >= 0));
    return { a: changed, b: new Set(changed) };
  }
  const n = a.length, m = b.length;
  const dp = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      dp[i][j] = a[i] === b[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
    }
  }
  const keptA = new Set<number>(), keptB = new Set<number>();
  let i = 0, j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) (keptA.add(i++), keptB.add(j++));
    else if (dp[i + 1][j] >= dp[i][j + 1]) i++;
    else j++;
  }
  return {
    a: new Set(a.map((_, k) => k).filter((k) => !keptA.has(k))),
    b: new Set(b.map((_, k) => k).filter((k) => !keptB.has(k))),
  };
}

export class AttackedExampleView extends DisplayObject {
  readonly example: AttackedExample;
  readonly originalWords: string[];
  readonly perturbedWords: string[];
  readonly changedOriginal: Set<number>;
  readonly changedPerturbed: Set<number>;

  constructor(example: AttackedExample) {
    super();
    if (typeof example?.original !== "string" || typeof example?.perturbed !== "string") {
      throw new TypeError(
        "AttackedExampleView expects { original: string, perturbed: string, ... }",
      );
    }
    this.example = example;
    this.originalWords = words(example.original);
    this.perturbedWords = words(example.perturbed);
    if (example.modifiedIndices) {
      this.changedOriginal = new Set(
        example.modifiedIndices.filter((i) => i < this.originalWords.length),
      );
      this.changedPerturbed = new Set(
        example.modifiedIndices.filter((i) => i < this.perturbedWords.length),
      );
    } else {
      const d = diffWords(this.originalWords, this.perturbedWords);
      this.changedOriginal = d.a;
      this.changedPerturbed = d.b;
    }
  }

  #label(label: string | number, score?: number): string {
    const names = this.example.labelNames;
    const name = typeof label === "number" && names?.[label] !== undefined
      ? names[label]
      : String(label);
    return score === undefined ? name : `${name} (${(score * 100).toFixed(1)}%)`;
  }

  #meta(): string {
    const e = this.example;
    const parts: string[] = [];
    if (e.status !== undefined) parts.push(`status: ${e.status}`);
    if (e.groundTruth !== undefined) parts.push(`truth: ${this.#label(e.groundTruth)}`);
    parts.push(`${this.changedPerturbed.size}/${this.perturbedWords.length} words changed`);
    if (e.numQueries !== undefined) parts.push(`${e.numQueries} queries`);
    return parts.join(", ");
  }

  toHtml(): string {
    const e = this.example;
    const mark = (ws: string[], changed: Set<number>, style: string) =>
      ws.map((
        w,
        i,
      ) => (changed.has(i) ? `<mark style="${style}">${escapeHtml(w)}</mark>` : escapeHtml(w)))
        .join(" ");
    const row = (name: string, label: string, text: string) =>
      `<div style="margin:2px 0">` +
      `<span style="display:inline-block;min-width:9em;color:#555">${name} · <b>${
        escapeHtml(label)
      }</b></span> ${text}</div>`;
    return `<div style="font:13px/1.5 system-ui,sans-serif;` +
      `border-left:3px solid #ccc;padding:4px 8px">` +
      row(
        "original",
        this.#label(e.originalLabel, e.originalScore),
        mark(
          this.originalWords,
          this.changedOriginal,
          "background:#fdd;text-decoration:line-through",
        ),
      ) +
      row(
        "perturbed",
        this.#label(e.perturbedLabel, e.perturbedScore),
        mark(this.perturbedWords, this.changedPerturbed, "background:#dfd"),
      ) +
      `<div style="color:#777;font-size:11px">${escapeHtml(this.#meta())}</div></div>`;
  }

  toString(): string {
    const e = this.example;
    const mark = (ws: string[], changed: Set<number>) =>
      ws.map((w, i) => (changed.has(i) ? `[[${w}]]` : w)).join(" ");
    return [
      `${this.#label(e.originalLabel, e.originalScore)} --> ${
        this.#label(e.perturbedLabel, e.perturbedScore)
      }  (${this.#meta()})`,
      `  original:  ${mark(this.originalWords, this.changedOriginal)}`,
      `  perturbed: ${mark(this.perturbedWords, this.changedPerturbed)}`,
    ].join("\n");
  }
}
