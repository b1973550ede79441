/**
 * The 1,000-example attack sets bundled with TextFooler (Jin et al. 2020, jind11/TextFooler data/):
 *
 * - `mr`, `imdb`, `yelp`, `ag`: `LABEL text` per line (label, one space, text); already lower-cased
 *   and tokenised. Labels 0/1 (ag: 0..3 = World, Sports, Business, Sci/Tech). Some ag/yelp lines
 *   keep the CSV quotes of their source and literal `\n` sequences; they are kept as they are
 *   unless `clean: true`, which applies TextFooler's own `clean_str` (dataloader.py), quirks
 *   included: its replacement strings insert a backslash before `(`, `)` and `?` (Python keeps
 *   the unknown escape), e.g. "why?" → "why \?".
 * - `snli`, `mnli_matched`, `mnli_mismatched`: `label<TAB>premise<TAB>hypothesis` with word labels,
 *   mapped entailment → 0, neutral → 1, contradiction → 2 (premise in `text`, hypothesis in
 *   `textB`).
 *
 * These are test sets only (split `test`).
 */
import { z } from "zod";
import type { Example } from "./types.ts";
import { lineError, type LoaderOptions, readTextFile, resolveDataRoot } from "./_files.ts";
import { indexLabels, labelCell, parseRow, tabCells, textCell } from "./_rows.ts";

export type TextFoolerSingleSet = "mr" | "imdb" | "yelp" | "ag";
export type TextFoolerNliSet = "snli" | "mnli_matched" | "mnli_mismatched";
export type TextFoolerSet = TextFoolerSingleSet | TextFoolerNliSet;

export const TEXTFOOLER_SINGLE_SETS: readonly TextFoolerSingleSet[] = ["mr", "imdb", "yelp", "ag"];
export const TEXTFOOLER_NLI_SETS: readonly TextFoolerNliSet[] = [
  "snli",
  "mnli_matched",
  "mnli_mismatched",
];
export const TEXTFOOLER_SETS: readonly TextFoolerSet[] = [
  ...TEXTFOOLER_SINGLE_SETS,
  ...TEXTFOOLER_NLI_SETS,
];

/** Label names by set, index = label. */
export const TEXTFOOLER_LABEL_NAMES: Readonly<Record<TextFoolerSet, readonly string[]>> = {
  mr: ["negative", "positive"],
  imdb: ["negative", "positive"],
  yelp: ["negative", "positive"],
  ag: ["world", "sports", "business", "sci/tech"],
  snli: ["entailment", "neutral", "contradiction"],
  mnli_matched: ["entailment", "neutral", "contradiction"],
  mnli_mismatched: ["entailment", "neutral", "contradiction"],
};

export const NLI_LABELS: Readonly<Record<string, number>> = {
  entailment: 0,
  neutral: 1,
  contradiction: 2,
};

export interface TextFoolerOptions extends LoaderOptions {
  /**
   * Apply TextFooler's `clean_str` to single-sentence texts (default false: text as in the file).
   */
  clean?: boolean;
}

const nliSchema = z.object({
  label: labelCell(NLI_LABELS),
  premise: textCell("premise"),
  hypothesis: textCell("hypothesis"),
});

/** Loads one TextFooler attack set. */
export async function loadTextFooler(
  set: TextFoolerSet,
  options: TextFoolerOptions = {},
): Promise<Example[]> {
  if (!TEXTFOOLER_SETS.includes(set)) {
    throw new RangeError(
      `Unknown TextFooler set ${JSON.stringify(set)}; valid: ${TEXTFOOLER_SETS.join(", ")}`,
    );
  }
  const f = await readTextFile(resolveDataRoot(options.dataRoot), `textfooler/${set}`);
  const out: Example[] = [];
  if ((TEXTFOOLER_NLI_SETS as readonly string[]).includes(set)) {
    for (const line of f.lines) {
      const [label, premise, hypothesis] = tabCells(
        f.display,
        line,
        3,
        "label<TAB>premise<TAB>hypothesis",
      );
      const row = parseRow(nliSchema, { label, premise, hypothesis }, f.display, line.line);
      out.push({
        text: row.premise,
        textB: row.hypothesis,
        label: row.label,
        source: `${f.display}:${line.line}`,
      });
    }
    return out;
  }
  const numLabels = TEXTFOOLER_LABEL_NAMES[set].length;
  const schema = z.object({ label: labelCell(indexLabels(numLabels)), text: textCell("text") });
  for (const line of f.lines) {
    const space = line.text.indexOf(" ");
    if (space < 0) throw lineError(f.display, line.line, "has no space, expected LABEL<SPACE>text");
    const row = parseRow(
      schema,
      { label: line.text.slice(0, space), text: line.text.slice(space + 1) },
      f.display,
      line.line,
    );
    const text = options.clean ? textFoolerCleanStr(row.text) : row.text;
    out.push({ text, label: row.label, source: `${f.display}:${line.line}` });
  }
  return out;
}

/** A port of TextFooler's `clean_str` (dataloader.py), then lower-casing as `read_corpus` does. */
export function textFoolerCleanStr(s: string): string {
  return s
    .replace(/[^A-Za-z0-9(),!?'`]/g, " ")
    .replace(/'s/g, " 's")
    .replace(/'ve/g, " 've")
    .replace(/n't/g, " n't")
    .replace(/'re/g, " 're")
    .replace(/'d/g, " 'd")
    .replace(/'ll/g, " 'll")
    .replace(/,/g, " , ")
    .replace(/!/g, " ! ")
    .replace(/\(/g, " \\( ")
    .replace(/\)/g, " \\) ")
    .replace(/\?/g, " \\? ")
    .replace(/\s{2,}/g, " ")
    .trim()
    .toLowerCase();
}
