/**
 * Movie Review polarity v1.0 (Pang & Lee 2005): `rt-polarity.pos` and `rt-polarity.neg`, one
 * sentence a line, label 1 for .pos and 0 for .neg. The bytes are windows-1252 (a superset of
 * Latin-1: the files use 0x85 "…", 0x91 "‘", 0x96 "–", 0x97 "—", which are control codes in
 * ISO-8859-1 proper), decoded with `TextDecoder("windows-1252")`.
 *
 * MR has no official split (papers use 10-fold cross-validation or their own 90/10 cut). Ours,
 * deterministic and documented: all 10,662 sentences (pos lines first, then neg) →
 * `test` = stratified 10% held out with seed `MR_SPLIT_SEED` (1,066), then `dev` = as many again
 * held out of the rest with seed `MR_SPLIT_SEED + 1` (1,066), `train` = the remaining 8,530.
 * Each part is exactly half positive.
 *
 * Overlap with the attack set: all 1,000 sentences of `textfooler/mr` are MR sentences (equal
 * after lower-casing and dropping non-alphanumerics); 812 fall in our train, 100 in dev, 88 in
 * test. `excludeAttackSet: true` removes them from all three splits after splitting (so the split
 * of the other sentences does not change), for students that are attacked on `textfooler/mr`.
 */
import { z } from "zod";
import type { Example } from "./types.ts";
import { type LoaderOptions, readTextFile, resolveDataRoot } from "./_files.ts";
import { parseRow, textCell } from "./_rows.ts";
import { heldOutSplit } from "./splits.ts";
import { loadTextFooler } from "./textfooler.ts";

export type MrSplit = "train" | "dev" | "test";
export const MR_SPLITS: readonly MrSplit[] = ["train", "dev", "test"];
/** Seed of the documented MR split. */
export const MR_SPLIT_SEED = 2005;

const rowSchema = z.object({ sentence: textCell("sentence") });

export interface MrOptions extends LoaderOptions {
  /**
   * Seed of the split (default `MR_SPLIT_SEED`); change it only for cross-validation-like repeats.
   */
  splitSeed?: number;
  /**
   * Drop the sentences of TextFooler's `textfooler/mr` attack set from every split (default false).
   */
  excludeAttackSet?: boolean;
}

/** The key under which MR and TextFooler's copy of a sentence are equal. */
function sentenceKey(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** All 10,662 MR sentences, .pos (label 1) then .neg (label 0), in file order. */
export async function loadMrAll(options: LoaderOptions = {}): Promise<Example[]> {
  const root = resolveDataRoot(options.dataRoot);
  const out: Example[] = [];
  for (const [file, label] of [["mr/rt-polarity.pos", 1], ["mr/rt-polarity.neg", 0]] as const) {
    const f = await readTextFile(root, file, "windows-1252");
    for (const line of f.lines) {
      const row = parseRow(rowSchema, { sentence: line.text }, f.display, line.line);
      out.push({ text: row.sentence, label, source: `${f.display}:${line.line}` });
    }
  }
  return out;
}

/** The documented deterministic MR split (see the file comment). */
export async function loadMrSplits(options: MrOptions = {}): Promise<Record<MrSplit, Example[]>> {
  const seed = options.splitSeed ?? MR_SPLIT_SEED;
  const all = await loadMrAll(options);
  const { train: rest, validation: test } = heldOutSplit(all, { fraction: 0.1, seed });
  const { train, validation: dev } = heldOutSplit(rest, { size: test.length, seed: seed + 1 });
  if (!options.excludeAttackSet) return { train, dev, test };
  const attack = new Set((await loadTextFooler("mr", options)).map((e) => sentenceKey(e.text)));
  const keep = (ex: Example[]) => ex.filter((e) => !attack.has(sentenceKey(e.text)));
  return { train: keep(train), dev: keep(dev), test: keep(test) };
}

/** One split of MR. */
export async function loadMr(split: MrSplit, options: MrOptions = {}): Promise<Example[]> {
  if (!MR_SPLITS.includes(split)) {
    throw new RangeError(
      `Unknown MR split ${JSON.stringify(split)}; valid: ${MR_SPLITS.join(", ")}`,
    );
  }
  return (await loadMrSplits(options))[split];
}
