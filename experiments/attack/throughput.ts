/**
 * Attack speed figures, shared by the bench section `attack` and `_timing.ts`:
 * - `measureAttackThroughput`: one recipe over examples (after a warm-up example that is not
 *   measured: WordNet, PPDB, POS model and the wasm kernels load there); goal-function queries
 *   per second, model rows actually computed, and the victim cache's hit rate;
 * - `rawBatchThroughput`: the victim alone, examples per second at a fixed batch size;
 * - `synonymEmbedding`: a stand-in word embedding over a vocabulary in which PPDB synonyms are
 *   close (for timing random-weights models, whose own tables make the similarity constraints
 *   reject nearly every candidate, which would make the attack look cheaper than it is).
 */
import * as tf from "@tensorflow/tfjs";
import {
  type BertTokenizer,
  collate,
  type EncodedBatch,
  type Example,
} from "../../lib/data/mod.ts";
import type { BertConfigInput, Classifier } from "../../lib/models/mod.ts";
import {
  type AttackMetrics,
  attackMetrics,
  type AttackResult,
  buildRecipe,
  loadSynonymPairs,
  type MaskedLM,
  MatrixEmbedding,
  type RecipeName,
  runAttack,
  type WordEmbedding,
} from "../../lib/robustness/mod.ts";
import { createModelVictim } from "../../lib/robustness/tfjs.ts";
import { Prng } from "../../lib/random/mod.ts";
import { PROJECT_ROOT } from "../_shared/project.ts";
import { maxLengthOf } from "./setup.ts";

/** The default teacher's size (data/teachers/sst2_bert_l4_h256): L4 H256 A4 F1024. */
export const TEACHER_SIZE: BertConfigInput = {
  vocab_size: 30522,
  hidden_size: 256,
  num_hidden_layers: 4,
  num_attention_heads: 4,
  intermediate_size: 1024,
  max_position_embeddings: 128,
  num_labels: 2,
};
/** A small KD student's size for timing: L2 H128 A2 F512. */
export const STUDENT_SIZE: BertConfigInput = {
  ...TEACHER_SIZE,
  hidden_size: 128,
  num_hidden_layers: 2,
  num_attention_heads: 2,
  intermediate_size: 512,
};

export interface ThroughputResult {
  recipe: string;
  examples: number;
  seconds: number;
  /** Goal-function queries (TextAttack's count: cached answers included). */
  goalQueries: number;
  /** Rows the model actually computed. */
  victimRows: number;
  /** Rows the victim's LRU cache answered. */
  victimCacheHits: number;
  /** victimCacheHits / (victimRows + victimCacheHits). */
  cacheHitRate: number;
  goalQueriesPerSecond: number;
  victimRowsPerSecond: number;
  metrics: AttackMetrics;
  /** Every example's result, in order (to compare two runs of the same attack). */
  results: AttackResult[];
}

export interface ThroughputOptions {
  recipe?: RecipeName;
  embedding?: WordEmbedding;
  mlm?: MaskedLM;
  /** Texts per goal-function call; default 32. */
  batchSize?: number;
  /** Goal-function queries per example; default the recipe's (none). */
  queryBudget?: number;
  /** Rows per forward pass in the victim; default 64. */
  victimBatchSize?: number;
  /** Attacked before the measurement (not counted); default none. */
  warmup?: Example;
  /** Called after each example. */
  onExample?: (done: number) => void;
}

export async function measureAttackThroughput(
  model: Classifier,
  tokenizer: BertTokenizer,
  examples: readonly Example[],
  options: ThroughputOptions = {},
): Promise<ThroughputResult> {
  const {
    recipe = "textfooler",
    embedding,
    mlm,
    batchSize = 32,
    queryBudget,
    victimBatchSize = 64,
    warmup,
    onExample,
  } = options;
  const victim = createModelVictim(model, tokenizer, {
    batchSize: victimBatchSize,
    maxLength: maxLengthOf(model),
  });
  const attack = buildRecipe(recipe, { victim, embedding, mlm, batchSize, queryBudget });
  if (warmup) await runAttack(attack, [warmup]);
  victim.clearCache();
  // the masked LM's own cache too (shared between calls: a second run would be served from it)
  (mlm as { clearCache?: () => void } | undefined)?.clearCache?.();
  const rows0 = victim.queries, hits0 = victim.cacheHits;
  const t0 = performance.now();
  let done = 0;
  const { results } = await runAttack(attack, examples, { onResult: () => onExample?.(++done) });
  const seconds = (performance.now() - t0) / 1000;
  const victimRows = victim.queries - rows0, victimCacheHits = victim.cacheHits - hits0;
  const goalQueries = results.reduce((a, r) => a + r.numQueries, 0);
  return {
    recipe,
    examples: examples.length,
    seconds,
    goalQueries,
    victimRows,
    victimCacheHits,
    cacheHitRate: victimRows + victimCacheHits === 0
      ? 0
      : victimCacheHits / (victimRows + victimCacheHits),
    goalQueriesPerSecond: goalQueries / seconds,
    victimRowsPerSecond: victimRows / seconds,
    metrics: attackMetrics(results),
    results,
  };
}

/** The texts encoded and padded to their longest (token types 0), as the victims batch them. */
export function paddedBatch(
  model: Classifier,
  tokenizer: BertTokenizer,
  texts: readonly string[],
): EncodedBatch {
  const enc = texts.map((t) => {
    const { ids } = tokenizer.encode(t, undefined, { maxLength: maxLengthOf(model) });
    return { ids }; // token types 0, as rawBatchThroughput always had
  });
  return collate(enc, enc.map((_, i) => i), null);
}

/**
 * Examples per second of forward + softmax + read-back at `batchSize` rows (the first
 * `batchSize` texts, padded to their longest), median of `repeats` after one warm-up.
 */
export function rawBatchThroughput(
  model: Classifier,
  tokenizer: BertTokenizer,
  texts: readonly string[],
  options: { batchSize?: number; repeats?: number } = {},
): { examplesPerSecond: number; msPerBatch: number; seqLen: number } {
  const { batchSize = 64, repeats = 5 } = options;
  const batch = paddedBatch(model, tokenizer, texts.slice(0, batchSize));
  const n = batch.batchSize, seqLen = batch.seqLen;
  const once = () => {
    const p = tf.tidy(() => tf.softmax(model.forward(batch, { training: false }).logits));
    p.dataSync();
    p.dispose();
  };
  once();
  const ts: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    once();
    ts.push(performance.now() - t);
  }
  ts.sort((a, b) => a - b);
  const ms = ts[ts.length >> 1];
  return { examplesPerSecond: (n * 1000) / ms, msPerBatch: ms, seqLen };
}

/**
 * Over `vocab`, each word's vector is a seeded random base plus the mean base of its PPDB
 * synonyms (so synonyms have cosine around 0.5-0.7); `dim` should match the model's hidden size
 * so neighbour searches cost what they cost with the model's own table.
 */
export function synonymEmbedding(
  vocab: readonly string[],
  options: { dim?: number; seed?: number; ppdbPath?: string } = {},
): MatrixEmbedding {
  const { dim = 256, seed = 0, ppdbPath = `${PROJECT_ROOT}data/synonyms/ppdb_synonyms.txt` } =
    options;
  const ppdb = loadSynonymPairs(ppdbPath);
  const prng = Prng.fromSeed(seed);
  const base = new Float32Array(vocab.length * dim);
  for (let i = 0; i < base.length; i++) base[i] = prng.normal();
  const row = new Map(vocab.map((w, i) => [w, i]));
  const m = new Float32Array(base);
  vocab.forEach((w, r) => {
    const syn = (ppdb.get(w) ?? []).map((s) => row.get(s)).filter((x): x is number =>
      x !== undefined
    );
    for (const s of syn) {
      for (let j = 0; j < dim; j++) m[r * dim + j] += base[s * dim + j] / syn.length;
    }
  });
  return new MatrixEmbedding(vocab, m);
}
