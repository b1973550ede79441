/**
 * What an attack run needs besides the recipe: the victim model (any lib/models checkpoint),
 * its tokenizer, the word embedding for WordEmbeddingDistance / neighbours, the teacher's masked
 * LM for BAE, and the examples. Shared by `main.ts`, the bench section and `_timing.ts`.
 *
 * Model names (`--model`):
 * - `teacher`: the default teacher classifier, `data/teachers/sst2_bert_l4_h256/classifier`;
 * - a checkpoint folder (holding `manifest.json`: BERT or BiLSTM);
 * - a KD baseline name: `experiments/kd_baselines/results/<name>/`, the folder itself if it is a
 *   checkpoint, else its only sub-folder (one level down) that is one.
 *
 * Embedding (`--embedding`): `teacher` (default) uses the teacher's word-embedding table for
 * every victim, so every model faces the same candidate words and constraints (TextAttack uses
 * one fixed embedding for every victim); `own` uses the attacked model's table when it has one
 * over the vocabulary (`bert.embeddings.word_embeddings.weight` or the BiLSTM's
 * `embedding.weight`), else the teacher's.
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
import { loadCheckpoint } from "../../lib/models/mod.ts";
import type { BertModel, BiLstmClassifier } from "../../lib/models/mod.ts";
import type { Classifier } from "../../lib/models/mod.ts";
import type { MatrixEmbedding } from "../../lib/robustness/mod.ts";
import { embeddingFromModel } from "../../lib/robustness/model_victim.ts";
import { createModelMaskedLM, type ModelMaskedLM } from "../../lib/robustness/model_mlm.ts";
import { PROJECT_ROOT, TEACHERS_ROOT } from "../_shared/project.ts";

export const DEFAULT_TEACHER_DIR = `${TEACHERS_ROOT}/sst2_bert_l4_h256/classifier`;
export const DEFAULT_MLM_DIR = `${TEACHERS_ROOT}/sst2_bert_l4_h256/mlm`;
export const KD_RESULTS_ROOT = `${PROJECT_ROOT}experiments/kd_baselines/results`;

const isCheckpoint = (dir: string) => existsSync(join(dir, "manifest.json"));

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
  model: BertModel | BiLstmClassifier;
  tokenizer: BertTokenizer;
  vocab: string[];
  vocabPath: string;
}

/** Loads a checkpoint folder and its tokenizer (its own vocab.txt when present). */
export async function loadVictimModel(dir: string): Promise<LoadedVictimModel> {
  const { model } = await loadCheckpoint(dir);
  const own = join(dir, "vocab.txt");
  const vocabPath = existsSync(own)
    ? own
    : join(PROJECT_ROOT, "data/vocab/bert-base-uncased-vocab.txt");
  const tokenizer = await createBertTokenizer({ vocabPath });
  return { dir, model, tokenizer, vocab: await readVocab(vocabPath), vocabPath };
}

/** Longest input the model accepts (position table), capped at 128. */
export function maxLengthOf(model: Classifier): number {
  const p = (model.config as { max_position_embeddings?: number }).max_position_embeddings;
  return Math.min(128, typeof p === "number" && p >= 2 ? p : 128);
}

const EMBEDDING_PARAMS = ["bert.embeddings.word_embeddings.weight", "embedding.weight"];

/** The model's own word-embedding table over `vocab`, or undefined when it has none. */
export function ownEmbedding(
  model: Classifier,
  vocab: readonly string[],
): MatrixEmbedding | undefined {
  for (const paramName of EMBEDDING_PARAMS) {
    const v = model.params.get(paramName);
    if (v && v.shape.length === 2 && v.shape[0] === vocab.length) {
      return embeddingFromModel(model, vocab, { paramName });
    }
  }
  return undefined;
}

/**
 * The attack embedding: with `mode` "own" the attacked model's table when it has one; otherwise
 * (and as the fallback) the teacher's, loaded from `teacherDir` and freed.
 */
export async function attackEmbedding(
  victim: LoadedVictimModel,
  teacherDir: string,
  mode: "teacher" | "own" = "teacher",
): Promise<{ embedding: MatrixEmbedding; source: string }> {
  const own = mode === "own" ? ownEmbedding(victim.model, victim.vocab) : undefined;
  if (own) return { embedding: own, source: `attacked model (${victim.dir})` };
  if (!isCheckpoint(teacherDir)) {
    throw new Error(
      `The attacked model ${victim.dir} has no word-embedding table over its vocabulary and the ` +
        `teacher checkpoint ${teacherDir} is missing; pass --teacher DIR`,
    );
  }
  const teacher = await loadVictimModel(teacherDir);
  try {
    const emb = ownEmbedding(teacher.model, teacher.vocab);
    if (!emb) {
      throw new Error(`The teacher ${teacherDir} has no word-embedding table over its vocabulary`);
    }
    return { embedding: emb, source: `teacher (${teacherDir})` };
  } finally {
    teacher.model.dispose();
  }
}

/** The teacher's masked LM wrapped for BAE. Dispose both when done. */
export async function loadTeacherMlm(
  mlmDir: string,
): Promise<{ mlm: ModelMaskedLM; model: BertModel | BiLstmClassifier }> {
  if (!isCheckpoint(mlmDir)) {
    throw new Error(
      `Recipe bae needs the teacher's masked LM: no checkpoint at ${mlmDir}; ` +
        "train it with `deno task teacher --stage mlm` or pass --mlm DIR",
    );
  }
  const { model, tokenizer } = await loadVictimModel(mlmDir);
  if (!("mlmLogitsAt" in model) || !model.heads.mlm) {
    model.dispose();
    throw new Error(`${mlmDir} is not a BERT masked LM (no cls.predictions head)`);
  }
  return { mlm: createModelMaskedLM(model, tokenizer, { maxLength: maxLengthOf(model) }), model };
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

/** Input column names of a data set (pairs: premise/hypothesis for NLI, else sentence1/2). */
export function columnLabelsOf(dataset: string): string[] {
  const info = datasetInfo(dataset);
  if (info.task === "single") return ["text"];
  return /snli|mnli/.test(dataset) ? ["premise", "hypothesis"] : ["sentence1", "sentence2"];
}
