/**
 * The attack experiment's choices besides the recipe: which model `--model` names (any lib/models
 * checkpoint), its tokenizer, and which examples are attacked. The word embedding and the masked
 * LM come from lib/robustness's one attack setup (`attackResources`). Shared by `main.ts`, the
 * bench section and `_timing.ts`.
 *
 * Model names (`--model`):
 * - `teacher`: the default teacher classifier, `data/teachers/sst2_bert_l4_h256/classifier`;
 * - a checkpoint folder (holding `manifest.json`: BERT or BiLSTM);
 * - a KD baseline name: `experiments/kd_baselines/results/<name>/`, the folder itself if it is a
 *   checkpoint, else its only sub-folder (one level down) that is one.
 *
 * Embedding (`--embedding`): `wordvec` (default) uses the project's counter-fitted vectors
 * (data/wordvec, lib/robustness `attackResources`' default) for every victim; `teacher` (the
 * default before issue 12) uses the teacher's word-embedding table for
 * every victim, so every model faces the same candidate words and constraints (TextAttack uses
 * one fixed embedding for every victim); `own` uses the attacked model's table when it has one
 * over the vocabulary (lib/robustness `ownEmbedding`), else the teacher's.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  type BertTokenizer,
  createBertTokenizer,
  datasetInfo,
  type Example,
  loadSplit,
  readVocab,
  type SplitName,
} from "../../lib/data/mod.ts";
import { type Classifier, loadModel } from "../../lib/models/mod.ts";
import {
  DEFAULT_MLM_DIR,
  DEFAULT_TEACHER_DIR,
  DEFAULT_VOCAB_PATH,
  isCheckpointDir,
  PROJECT_ROOT,
} from "../../lib/project/mod.ts";
import type { MatrixEmbedding } from "../../lib/robustness/mod.ts";
import { ownEmbedding, teacherEmbedding } from "../../lib/robustness/tfjs.ts";
import "../../lib/search_space/tfjs.ts"; // registers the "searched" checkpoint kind

export { DEFAULT_MLM_DIR, DEFAULT_TEACHER_DIR, ownEmbedding };
export const KD_RESULTS_ROOT = `${PROJECT_ROOT}experiments/kd_baselines/results`;

const isCheckpoint = isCheckpointDir;

/** Resolves `--model` to a checkpoint folder (absolute path). */
export function resolveModelDir(
  spec: string,
  options: { teacherDir?: string; kdRoot?: string } = {},
): string {
  const { teacherDir = DEFAULT_TEACHER_DIR, kdRoot = KD_RESULTS_ROOT } = options;
  if (spec === "teacher") {
    if (!isCheckpoint(teacherDir)) {
      throw new Error(
        `--model teacher: no checkpoint at ${teacherDir} (no manifest.json); train it with ` +
          "`deno task teacher` or pass --teacher DIR",
      );
    }
    return resolve(teacherDir);
  }
  if (isCheckpoint(spec)) return resolve(spec);
  const kd = join(kdRoot, spec);
  if (!spec.includes("/") && existsSync(kd)) {
    if (isCheckpoint(kd)) return resolve(kd);
    const subs = [...Deno.readDirSync(kd)]
      .filter((e) => e.isDirectory && isCheckpoint(join(kd, e.name)))
      .map((e) => e.name)
      .sort();
    if (subs.length === 1) return resolve(kd, subs[0]);
    throw new Error(
      `--model ${spec}: ${kd} holds ${
        subs.length === 0
          ? "no checkpoint folder"
          : `several checkpoint folders (${subs.join(", ")})`
      }; pass the checkpoint folder itself`,
    );
  }
  let kdNames: string[] = [];
  try {
    kdNames = [...Deno.readDirSync(kdRoot)].filter((e) => e.isDirectory).map((e) => e.name).sort();
  } catch { /* no KD results yet */ }
  throw new Error(
    `--model ${
      JSON.stringify(spec)
    } is neither "teacher", a checkpoint folder (with manifest.json) ` +
      `nor a KD baseline under ${kdRoot} (${
        kdNames.length ? `found: ${kdNames.join(", ")}` : "none yet"
      })`,
  );
}

export interface LoadedVictimModel {
  dir: string;
  model: Classifier;
  tokenizer: BertTokenizer;
  vocab: string[];
  vocabPath: string;
}

/** Loads a checkpoint folder and its tokenizer (its own vocab.txt when present). */
export async function loadVictimModel(dir: string): Promise<LoadedVictimModel> {
  const { model } = await loadModel(dir);
  const own = join(dir, "vocab.txt");
  const vocabPath = existsSync(own) ? own : DEFAULT_VOCAB_PATH;
  const tokenizer = await createBertTokenizer({ vocabPath });
  return { dir, model, tokenizer, vocab: await readVocab(vocabPath), vocabPath };
}

/** Longest input the model accepts (position table), capped at 128. */
export function maxLengthOf(model: Classifier): number {
  const p = (model.config as { max_position_embeddings?: number }).max_position_embeddings;
  return Math.min(128, typeof p === "number" && p >= 2 ? p : 128);
}

/**
 * The attack embedding: with `mode` "own" the attacked model's table when it has one; otherwise
 * (and as the fallback) the teacher's (lib/robustness `teacherEmbedding`, loaded once).
 */
export async function attackEmbedding(
  victim: LoadedVictimModel,
  teacherDir: string,
  mode: "teacher" | "own" = "teacher",
): Promise<{ embedding: MatrixEmbedding; source: string }> {
  const own = mode === "own" ? ownEmbedding(victim.model, victim.vocab) : undefined;
  if (own) return { embedding: own, source: `attacked model (${victim.dir})` };
  return { embedding: await teacherEmbedding(teacherDir), source: `teacher (${teacherDir})` };
}

/** The split attacked: dev where the data set has one, else test. */
export function attackSplit(dataset: string): SplitName {
  const info = datasetInfo(dataset);
  return info.splits.includes("dev") ? "dev" : "test";
}

/**
 * The first `n` examples of the attacked split, in file order: deterministic and the same for
 * every model, so models are compared on the same examples (no sampling, the seed is not used).
 */
export async function attackExamples(
  dataset: string,
  n: number,
): Promise<{ split: SplitName; examples: Example[]; available: number }> {
  const split = attackSplit(dataset);
  const all = await loadSplit(dataset, split);
  return { split, examples: all.slice(0, n), available: all.length };
}
