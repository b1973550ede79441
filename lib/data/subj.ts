/**
 * Subjectivity v1.0 (Pang & Lee 2004): 5,000 objective sentences (plot summaries, label 0) and
 * 5,000 subjective ones (review snippets, label 1), one a line, lower-cased and tokenised;
 * windows-1252 bytes (113 subjective lines use accents, "…", curly quotes, "–").
 *
 * SUBJ has no official split (papers use 10-fold cross-validation). Ours, deterministic: all
 * 10,000 (objective file first) -> `test` = a stratified 10% (1,000) with seed `SUBJ_SPLIT_SEED`,
 * `dev` = another 1,000 of the rest with seed + 1, `train` = the remaining 8,000. An empty line
 * fails with its file and line.
 */
import type { Example } from "./types.ts";
import { lineError, type LoaderOptions, readTextFile, resolveDataRoot } from "./_files.ts";
import { heldOutSplit } from "./splits.ts";

export const SUBJ_LABELS = ["objective", "subjective"] as const;
export const SUBJ_SPLIT_SEED = 2004;
export type SubjSplit = "train" | "dev" | "test";

export async function loadSubjAll(options: LoaderOptions = {}): Promise<Example[]> {
  const root = resolveDataRoot(options.dataRoot);
  const out: Example[] = [];
  for (const [file, label] of [["subj/subj.objective", 0], ["subj/subj.subjective", 1]] as const) {
    const f = await readTextFile(root, file, "windows-1252");
    for (const { text, line } of f.lines) {
      if (text.trim() === "") throw lineError(f.display, line, "is empty; expected a sentence");
      out.push({ text: text.trim(), label, source: `${f.display}:${line}` });
    }
  }
  return out;
}

export async function loadSubjSplits(
  options: LoaderOptions = {},
): Promise<Record<SubjSplit, Example[]>> {
  const all = await loadSubjAll(options);
  const { train: rest, validation: test } = heldOutSplit(all, {
    fraction: 0.1,
    seed: SUBJ_SPLIT_SEED,
  });
  const { train, validation: dev } = heldOutSplit(rest, {
    size: test.length,
    seed: SUBJ_SPLIT_SEED + 1,
  });
  return { train, dev, test };
}
