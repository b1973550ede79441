/**
 * GLUE MRPC (Dolan & Brockett 2005) as written by GLUE's download script:
 * `Quality<TAB>#1 ID<TAB>#2 ID<TAB>#1 String<TAB>#2 String` with a header; train.tsv starts with
 * a UTF-8 BOM (dropped by the decoder). Lines are split on tabs only: the sentences contain
 * quote characters and are not CSV-quoted. Label = Quality (1 = paraphrase).
 * Splits: train (3,668), dev (408). GLUE's test.tsv (1,725 pairs, bundled) has an `index` column
 * instead of labels, so it is not a labelled split; `loadMrpcUnlabelled` reads it with label -1.
 */
import { z } from "zod";
import type { Example } from "./types.ts";
import { type LoaderOptions, readTextFile, resolveDataRoot } from "./_files.ts";
import { expectHeader, labelCell, parseRow, show, tabCells, textCell } from "./_rows.ts";

export type MrpcSplit = "train" | "dev";
export const MRPC_SPLITS: readonly MrpcSplit[] = ["train", "dev"];

const HEADER = "Quality\t#1 ID\t#2 ID\t#1 String\t#2 String";
const TEST_HEADER = "index\t#1 ID\t#2 ID\t#1 String\t#2 String";
const idCell = z.string().regex(/^\d+$/, "sentence ids must be digits");
const rowSchema = z.object({
  quality: labelCell({ "0": 0, "1": 1 }),
  id1: idCell,
  id2: idCell,
  string1: textCell("#1 String"),
  string2: textCell("#2 String"),
});

async function read(
  file: string,
  header: string,
  labelled: boolean,
  options: LoaderOptions,
): Promise<Example[]> {
  const f = await readTextFile(resolveDataRoot(options.dataRoot), file);
  expectHeader(f.display, f.lines[0], header);
  const out: Example[] = [];
  for (const line of f.lines.slice(1)) {
    const [first, id1, id2, string1, string2] = tabCells(f.display, line, 5, show(header));
    const quality = labelled ? first : "0";
    if (!labelled && !/^\d+$/.test(first)) {
      throw new SyntaxError(
        `Cannot load ${f.display}: line ${line.line} is invalid: index must be digits, got ${
          JSON.stringify(first)
        }`,
      );
    }
    const row = parseRow(rowSchema, { quality, id1, id2, string1, string2 }, f.display, line.line);
    out.push({
      text: row.string1,
      textB: row.string2,
      label: labelled ? row.quality : -1,
      source: `${f.display}:${line.line}`,
    });
  }
  return out;
}

/** Loads one labelled MRPC split as sentence-pair examples (`text`, `textB`). */
export async function loadMrpc(split: MrpcSplit, options: LoaderOptions = {}): Promise<Example[]> {
  if (!MRPC_SPLITS.includes(split)) {
    throw new RangeError(
      `Unknown MRPC split ${JSON.stringify(split)}; valid: ${
        MRPC_SPLITS.join(", ")
      } (GLUE's test.tsv has no labels: use loadMrpcUnlabelled)`,
    );
  }
  return await read(`mrpc/${split}.tsv`, HEADER, true, options);
}

/** GLUE MRPC test.tsv (labels hidden by GLUE): pairs with `label: -1`, for predictions only. */
export function loadMrpcUnlabelled(options: LoaderOptions = {}): Promise<Example[]> {
  return read("mrpc/test.tsv", TEST_HEADER, false, options);
}
