/**
 * One protocol for attacking any classifier of the experiment (candidates, final students,
 * KD baselines, the teacher): the model wrapped as a lib/robustness victim with the project's
 * tokenizer, a recipe by name with a per-example query budget and a fixed attack seed, the
 * examples in a fixed order; TextAttack's metrics.
 *
 * Shared resources, loaded once per process/worker and reused (`attackResources`):
 * - word embedding (textfooler, textbugger, bae's sentence-similarity stand-in): the TEACHER's
 *   input embedding table for every victim, so every model faces the same candidate words;
 * - masked LM (bae): the teacher's MLM checkpoint `<teacher>/../mlm` (teacher training saves it),
 *   else the MLM the classifier was fine-tuned from (`metrics.initialisedFrom` of its manifest,
 *   written by `deno task teacher --from-mlm`); bae is unavailable when neither exists.
 * - WordNet (pwws, textfooler): lib/robustness's shared instance.
 */
import { dirname, isAbsolute } from "node:path";
import { PROJECT_ROOT } from "../_shared/project.ts";
import { createBertTokenizer, readVocab } from "../../lib/data/mod.ts";
import { DEFAULT_VOCAB_PATH, loadCheckpoint } from "../../lib/models/mod.ts";
import type { BertModel, Classifier } from "../../lib/models/mod.ts";
import {
  type AttackMetrics,
  attackMetrics,
  buildRecipe,
  type MaskedLM,
  RECIPES,
  runAttack,
  type WordEmbedding,
} from "../../lib/robustness/mod.ts";
import { createModelVictim, embeddingFromModel } from "../../lib/robustness/model_victim.ts";
import { createModelMaskedLM } from "../../lib/robustness/model_mlm.ts";
import type { Example } from "../../lib/data/mod.ts";
import { attackInputs, columnLabels } from "./data.ts";

export interface AttackResources {
  embedding?: WordEmbedding;
  mlm?: MaskedLM;
}

const embeddings = new Map<string, Promise<WordEmbedding>>();
const mlms = new Map<string, Promise<MaskedLM | null>>();

const isCheckpointDir = (dir: string) => {
  try {
    return Deno.statSync(`${dir}/manifest.json`).isFile;
  } catch {
    return false;
  }
};

/**
 * The teacher's MLM folder: `<teacher>/../mlm` when it holds a checkpoint, else the MLM named by
 * the classifier manifest's `metrics.initialisedFrom` (relative to the project root) when that
 * holds one, else the `../mlm` path (which does not exist: `hasMlm` is false).
 */
export function mlmDirOf(teacherDir: string): string {
  const next = `${dirname(teacherDir)}/mlm`;
  if (isCheckpointDir(next)) return next;
  try {
    const m = JSON.parse(Deno.readTextFileSync(`${teacherDir}/manifest.json`));
    const from = m?.metrics?.initialisedFrom;
    if (typeof from === "string" && from.length > 0) {
      const dir = isAbsolute(from) ? from : `${PROJECT_ROOT}${from}`;
      if (isCheckpointDir(dir)) return dir;
    }
  } catch {
    // no readable manifest: fall through
  }
  return next;
}

/** True when the MLM checkpoint for bae exists. */
export function hasMlm(teacherDir: string): boolean {
  return isCheckpointDir(mlmDirOf(teacherDir));
}

/** Embedding and (when a recipe needs it and it exists) MLM for `recipes`, memoised. */
export async function attackResources(
  teacherDir: string,
  recipes: readonly string[],
): Promise<AttackResources> {
  const out: AttackResources = {};
  const needs = new Set(
    recipes.flatMap((r) => [...(RECIPES[r as keyof typeof RECIPES]?.needs ?? [])]),
  );
  if (needs.has("embedding")) {
    let p = embeddings.get(teacherDir);
    if (!p) {
      p = (async () => {
        const { model } = await loadCheckpoint(teacherDir);
        try {
          return embeddingFromModel(model, await readVocab(DEFAULT_VOCAB_PATH));
        } finally {
          model.dispose();
        }
      })();
      embeddings.set(teacherDir, p);
    }
    out.embedding = await p;
  }
  if (needs.has("mlm")) {
    let p = mlms.get(teacherDir);
    if (!p) {
      p = (async () => {
        if (!hasMlm(teacherDir)) return null;
        const { model } = await loadCheckpoint(mlmDirOf(teacherDir));
        const mlm = createModelMaskedLM(model as BertModel, await createBertTokenizer());
        await mlm.topK(["a [MASK] b"], 1); // creates its long-lived candidate mask now
        mlm.clearCache();
        return mlm;
      })();
      mlms.set(teacherDir, p);
    }
    out.mlm = (await p) ?? undefined;
  }
  return out;
}

export interface AttackOutcome {
  recipe: string;
  metrics: AttackMetrics;
  /** Accuracy under attack as a fraction (failed / total). */
  robustness: number;
  /** Original accuracy as a fraction. */
  cleanAccuracy: number;
  seconds: number;
  /** Victim rows computed (cache misses). */
  victimQueries: number;
}

export interface AttackModelOptions {
  dataset: string;
  queryBudget: number;
  /** Tokens per victim input. */
  maxLength: number;
  resources: AttackResources;
  /** Attack seed (random character edits); default 0. */
  seed?: number;
}

/** Attacks `model` on `examples` with `recipe`; never records per-example rows. */
export async function attackModel(
  model: Classifier,
  examples: readonly Example[],
  recipe: string,
  options: AttackModelOptions,
): Promise<AttackOutcome> {
  const t0 = performance.now();
  const tokenizer = await createBertTokenizer();
  const victim = createModelVictim(model, tokenizer, { maxLength: options.maxLength });
  const attack = buildRecipe(recipe, {
    victim,
    embedding: options.resources.embedding,
    mlm: options.resources.mlm,
    queryBudget: options.queryBudget,
    columnLabels: columnLabels(options.dataset),
    seed: options.seed ?? 0,
  });
  const { results } = await runAttack(attack, attackInputs(examples));
  const metrics = attackMetrics(results);
  return {
    recipe,
    metrics,
    robustness: metrics.accuracyUnderAttack / 100,
    cleanAccuracy: metrics.originalAccuracy / 100,
    seconds: (performance.now() - t0) / 1000,
    victimQueries: victim.queries,
  };
}
