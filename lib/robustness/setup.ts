/**
 * The one attack setup of the project (tfjs): what every experiment, worker and notebook uses to
 * attack a classifier under one protocol.
 * - `attackResources(recipes, { teacherDir })`: what the recipes' table entries need (`needs`),
 *   loaded once per process or Worker and reused: the word vectors (the project's counter-fitted
 *   vectors, data/wordvec, for every victim, as TextAttack's fixed counter-fitted vectors; until
 *   issue 12 the teacher's task-trained input table, still available as `teacherEmbedding`) and
 *   the masked LM (lib/project's `mlmDirOf(teacherDir)` unless `mlmDir` is given).
 *   A recipe whose need cannot be met is an error naming the folder and how to make it.
 * - `runnableRecipes(recipes, teacherDir)`: the recipes whose needs can be met, and why the
 *   others cannot (for tables that skip a column rather than fail).
 * - `attackModel(model, examples, recipe, options)`: victim + recipe + TextAttack metrics, with
 *   the per-example outcomes (for paired comparisons later).
 * No code outside the recipe table branches on a recipe's name.
 */
import {
  type BertTokenizer,
  columnLabelsOf,
  createBertTokenizer,
  type Example,
  readVocab,
} from "../data/mod.ts";
import { type BertModel, type Classifier, loadCheckpoint } from "../models/mod.ts";
import {
  DEFAULT_VOCAB_PATH,
  hasMlm,
  isCheckpointDir,
  mlmDirOf,
  relativeToProject,
} from "../project/mod.ts";
import { DEFAULT_WORDVEC_DIR, loadWordVectors, type WordVectors } from "./word_vectors.ts";
import type { MatrixEmbedding, WordEmbedding } from "./embedding.ts";
import { type AttackMetrics, attackMetrics } from "./metrics.ts";
import type { AttackResult, ResultStats } from "./attack_result.ts";
import { createModelMaskedLM, type ModelMaskedLM } from "./model_mlm.ts";
import { createModelVictim, embeddingFromModel } from "./model_victim.ts";
import { buildRecipe, recipeNeeds, recipeUses } from "./recipes/mod.ts";
import { taskProgress } from "../backend/mod.ts";
import { runAttack } from "./runner.ts";
import type { MaskedLM } from "./transformations/word_swap_masked_lm.ts";
import type { MaskedWordScorer } from "./constraints/masked_lm_fluency.ts";

export interface AttackResources {
  embedding?: WordEmbedding;
  /** Where the embedding came from (for run records). */
  embeddingSource?: string;
  mlm?: MaskedLM & MaskedWordScorer;
  mlmDir?: string;
  /** Why a recipe runs without the masked LM it would use (TextFooler's fluency check). */
  mlmSkipped?: string;
}

export interface AttackResourceOptions {
  /** Teacher classifier folder: its word-embedding table, and where its masked LM is found. */
  teacherDir: string;
  /** Masked-LM folder; default lib/project's `mlmDirOf(teacherDir)`. */
  mlmDir?: string;
  /**
   * Use this table instead of the counter-fitted vectors (e.g. `teacherEmbedding`, or the
   * attacked model's own, `ownEmbedding`).
   */
  embedding?: { table: WordEmbedding; source: string };
  /** Word-vector folder; default data/wordvec. */
  wordVectorsDir?: string;
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

const embeddings = new Map<string, Promise<MatrixEmbedding>>();
const wordVectorSets = new Map<string, Promise<WordVectors>>();

/** The counter-fitted word vectors of a folder (default data/wordvec; memoised per folder). */
export function attackWordVectors(dir: string = DEFAULT_WORDVEC_DIR): Promise<WordVectors> {
  return memo(wordVectorSets, dir, () => loadWordVectors(dir));
}
const mlms = new Map<string, Promise<ModelMaskedLM>>();

function memo<T>(map: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let p = map.get(key);
  if (!p) {
    p = make();
    map.set(key, p);
    p.catch(() => map.delete(key));
  }
  return p;
}

/** The teacher's word-embedding table (memoised per folder). */
export function teacherEmbedding(teacherDir: string): Promise<MatrixEmbedding> {
  return memo(embeddings, teacherDir, async () => {
    if (!isCheckpointDir(teacherDir)) {
      throw new Error(
        `The attack embedding comes from the teacher, but ${teacherDir} holds no checkpoint ` +
          "(no manifest.json); train it with `deno task teacher` or pass --teacher DIR",
      );
    }
    const { model } = await loadCheckpoint(teacherDir);
    try {
      const table = ownEmbedding(model, await readVocab(DEFAULT_VOCAB_PATH));
      if (!table) {
        throw new Error(
          `The teacher ${teacherDir} has no word-embedding table over the vocabulary`,
        );
      }
      return table;
    } finally {
      model.dispose();
    }
  });
}

/** A BERT masked LM wrapped for the recipes (memoised per folder; lives as long as the process). */
export function loadMaskedLM(mlmDir: string): Promise<ModelMaskedLM> {
  return memo(mlms, mlmDir, async () => {
    if (!isCheckpointDir(mlmDir)) {
      throw new Error(
        `A recipe needs a masked LM: no checkpoint at ${mlmDir} (no manifest.json); train one ` +
          "with `deno task teacher --stage mlm`, or pass --mlm DIR",
      );
    }
    const { model } = await loadCheckpoint(mlmDir);
    if (!("mlmLogitsAt" in model) || !model.heads.mlm) {
      model.dispose();
      throw new Error(`${mlmDir} is not a BERT masked LM (no cls.predictions head)`);
    }
    const mlm = createModelMaskedLM(model as BertModel, await createBertTokenizer());
    await mlm.topK(["a [MASK] b"], 1); // creates its long-lived candidate mask now
    mlm.clearCache();
    return mlm;
  });
}

/** What `recipes` need, loaded (and memoised) once per process or Worker. */
export async function attackResources(
  recipes: readonly string[],
  options: AttackResourceOptions,
): Promise<AttackResources> {
  const needs = new Set(recipes.flatMap((r) => [...recipeNeeds(r)]));
  const out: AttackResources = {};
  if (needs.has("embedding")) {
    if (options.embedding) {
      out.embedding = options.embedding.table;
      out.embeddingSource = options.embedding.source;
    } else {
      const dir = options.wordVectorsDir ?? DEFAULT_WORDVEC_DIR;
      out.embedding = await attackWordVectors(dir);
      out.embeddingSource = `counter-fitted word vectors (${relativeToProject(dir)})`;
    }
  }
  const wants = recipes.some((r) => recipeUses(r).includes("mlm"));
  if (needs.has("mlm") || (wants && (options.mlmDir !== undefined || hasMlm(options.teacherDir)))) {
    out.mlmDir = options.mlmDir ?? mlmDirOf(options.teacherDir);
    out.mlm = await loadMaskedLM(out.mlmDir);
  } else if (wants) {
    out.mlmSkipped = `no masked LM next to ${relativeToProject(options.teacherDir)} (expected ` +
      "../mlm): TextFooler runs without its masked-LM fluency check";
  }
  return out;
}

/** The recipes whose needs can be met with this teacher, and why the others cannot. */
export function runnableRecipes(
  recipes: readonly string[],
  teacherDir: string,
): { recipes: string[]; skipped: { recipe: string; why: string }[] } {
  const ok: string[] = [], skipped: { recipe: string; why: string }[] = [];
  for (const r of recipes) {
    if (recipeNeeds(r).includes("mlm") && !hasMlm(teacherDir)) {
      skipped.push({
        recipe: r,
        why: `no teacher masked LM next to ${teacherDir} (expected ../mlm) nor named by its ` +
          "manifest's initialisedFrom",
      });
    } else ok.push(r);
  }
  return { recipes: ok, skipped };
}

/** Examples as attack inputs (text, optional textB, label). */
export function attackInputs(examples: readonly Example[]) {
  return examples.map((e) =>
    e.textB === undefined
      ? { text: e.text, label: e.label }
      : { text: e.text, textB: e.textB, label: e.label }
  );
}

/**
 * One character per attacked example, in order: `S` succeeded (the attack flipped a correct
 * prediction), `F` failed, `Q` failed by running out of queries (TextAttack's MAXIMIZED_QUERIES),
 * `K` skipped (already misclassified). Robust = `F` or `Q` (TextAttack's accuracy under attack).
 */
export type OutcomeCodes = string;

const CODE = { SUCCEEDED: "S", FAILED: "F", MAXIMIZED_QUERIES: "Q", SKIPPED: "K" } as const;

/** The per-example outcome codes of attack results. */
export function outcomeCodes(results: readonly { resultType: string }[]): OutcomeCodes {
  return results.map((r) => {
    const c = CODE[r.resultType as keyof typeof CODE];
    if (!c) throw new RangeError(`outcomeCodes: unknown result type ${r.resultType}`);
    return c;
  }).join("");
}

/** Per example: still correct after the attack (`F` or `Q`). */
export const robustOf = (codes: OutcomeCodes): boolean[] =>
  [...codes].map((c) => c === "F" || c === "Q");

export interface AttackOutcome {
  recipe: string;
  metrics: AttackMetrics;
  /** Per-example outcomes (see `OutcomeCodes`), for paired comparisons later. */
  outcomes: OutcomeCodes;
  /** What the metrics were computed from, per example (to combine parts of one attack). */
  stats: ResultStats[];
  /** Accuracy under attack as a fraction (failed / total). */
  robustness: number;
  /** Original accuracy as a fraction. */
  cleanAccuracy: number;
  seconds: number;
  /** Victim rows computed (cache misses). */
  victimQueries: number;
  /** The attack results themselves, with `keepResults` (not serialisable: class instances). */
  results?: AttackResult[];
}

export interface AttackModelOptions {
  /** Data set name (its input column names). */
  dataset: string;
  queryBudget: number;
  /** Tokens per victim input. */
  maxLength: number;
  resources: AttackResources;
  /** Attack seed (random character edits); default 0. */
  seed?: number;
  /** Default lib/data's BERT tokenizer. */
  tokenizer?: BertTokenizer;
  /** Return the `AttackResult`s too (audits, views); default false. */
  keepResults?: boolean;
  /** Called after each example; default: report to the worker pool (`taskProgress`). */
  onExample?: (done: number, total: number) => void;
}

/** Attacks `model` on `examples` with `recipe` under the protocol above. */
export async function attackModel(
  model: Classifier,
  examples: readonly Example[],
  recipe: string,
  options: AttackModelOptions,
): Promise<AttackOutcome> {
  const t0 = performance.now();
  const tokenizer = options.tokenizer ?? await createBertTokenizer();
  const victim = createModelVictim(model, tokenizer, { maxLength: options.maxLength });
  const attack = buildRecipe(recipe, {
    victim,
    embedding: options.resources.embedding,
    mlm: options.resources.mlm,
    queryBudget: options.queryBudget,
    columnLabels: columnLabelsOf(options.dataset),
    seed: options.seed ?? 0,
  });
  const onExample = options.onExample ??
    ((d: number, n: number) => taskProgress(d, n, `${recipe} examples`));
  let done = 0;
  const { results } = await runAttack(attack, attackInputs(examples), {
    onResult: () => onExample(++done, examples.length),
  });
  const metrics = attackMetrics(results);
  return {
    recipe,
    metrics,
    outcomes: outcomeCodes(results),
    stats: results.map((r) => ({
      resultType: r.resultType,
      numWords: r.numWords,
      numWordsChanged: r.numWordsChanged,
      numQueries: r.numQueries,
    })),
    robustness: metrics.accuracyUnderAttack / 100,
    cleanAccuracy: metrics.originalAccuracy / 100,
    seconds: (performance.now() - t0) / 1000,
    victimQueries: victim.queries,
    ...(options.keepResults ? { results } : {}),
  };
}
