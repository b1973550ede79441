/**
 * GLUE SST-2 (Socher et al. 2013, as distributed by GLUE): `sentence<TAB>label` with a header,
 * labels 0 (negative) / 1 (positive). GLUE's sentences end with a space before the tab; it is
 * trimmed here. GLUE's test labels are hidden, so only `train` (67,349) and `dev` (872) exist:
 * papers report on dev, and search-time validation should be held out of train
 * (`heldOutSplit`), leaving dev untouched.
 */
import { z } from "zod";
import type { Example } from "./types.ts";
import { type LoaderOptions, readTextFile, resolveDataRoot } from "./_files.ts";
import { expectHeader, labelCell, parseRow, tabCells, textCell } from "./_rows.ts";

export type Sst2Split = "train" | "dev";
export const SST2_SPLITS: readonly Sst2Split[] = ["train", "dev"];

const HEADER = "sentence\tlabel";
const rowSchema = z.object({
  sentence: textCell("sentence"),
  label: labelCell({ "0": 0, "1": 1 }),
});

/** Loads one SST-2 split as validated examples (`source` is `data/sst2/<split>.tsv:<line>`). */
export async function loadSst2(split: Sst2Split, options: LoaderOptions = {}): Promise<Example[]> {
  if (!SST2_SPLITS.includes(split)) {
    throw new RangeError(
      `Unknown SST-2 split ${JSON.stringify(split)}; valid: ${SST2_SPLITS.join(", ")}`,
    );
  }
  const file = await readTextFile(resolveDataRoot(options.dataRoot), `sst2/${split}.tsv`);
  expectHeader(file.display, file.lines[0], HEADER);
  const out: Example[] = [];
  for (const line of file.lines.slice(1)) {
    const [sentence, label] = tabCells(file.display, line, 2, "sentence<TAB>label");
    const row = parseRow(rowSchema, { sentence, label }, file.display, line.line);
    out.push({ text: row.sentence, label: row.label, source: `${file.display}:${line.line}` });
  }
  return out;
}
