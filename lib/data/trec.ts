/**
 * TREC question classification (Li & Roth 2002): `TREC.train` (5,452 questions) and `TREC.test`
 * (the 500 TREC 10 questions), one `COARSE:fine question` a line; the label is the coarse class
 * (`TREC_LABELS`, 6 classes, the usual TREC-6 task). The train file is windows-1252 (one byte,
 * line 66), the test file ASCII: both read as windows-1252 (ASCII is a subset).
 *
 * Splits (ours, deterministic): `test` = TREC.test; `dev` = a stratified 10% (545) of TREC.train
 * held out with seed `TREC_SPLIT_SEED`; `train` = the remaining 4,907. A line whose class is not
 * one of the six, or with no question after the label, fails with its file and line.
 */
import type { Example } from "./types.ts";
import { lineError, type LoaderOptions, readTextFile, resolveDataRoot } from "./_files.ts";
import { heldOutSplit } from "./splits.ts";

export const TREC_LABELS = ["ABBR", "DESC", "ENTY", "HUM", "LOC", "NUM"] as const;
export const TREC_SPLIT_SEED = 2002;
export type TrecSplit = "train" | "dev" | "test";

/** `COARSE:fine question` lines of one file, with their file:line as `source`. */
export function parseTrecLines(
  lines: readonly { text: string; line: number }[],
  display: string,
): Example[] {
  const out: Example[] = [];
  for (const { text, line } of lines) {
    if (text.trim() === "") continue;
    const m = /^([A-Z]+):(\S+)\s+(.*\S)\s*$/.exec(text);
    if (!m) {
      throw lineError(display, line, `is not "COARSE:fine question" (got ${JSON.stringify(text)})`);
    }
    const label = (TREC_LABELS as readonly string[]).indexOf(m[1]);
    if (label < 0) {
      throw lineError(
        display,
        line,
        `has class ${JSON.stringify(m[1])}; expected one of ${TREC_LABELS.join(", ")}`,
      );
    }
    out.push({ text: m[3], label, source: `${display}:${line}` });
  }
  if (out.length === 0) throw new SyntaxError(`Cannot load ${display}: no question in the file`);
  return out;
}

export async function loadTrecSplits(
  options: LoaderOptions = {},
): Promise<Record<TrecSplit, Example[]>> {
  const root = resolveDataRoot(options.dataRoot);
  const read = async (file: string) => {
    const f = await readTextFile(root, file, "windows-1252");
    return parseTrecLines(f.lines, f.display);
  };
  const all = await read("trec/TREC.train");
  const { train, validation: dev } = heldOutSplit(all, { fraction: 0.1, seed: TREC_SPLIT_SEED });
  return { train, dev, test: await read("trec/TREC.test") };
}
