/**
 * A batched, cached `Victim` over any forward pass (TextAttack's `ModelWrapper` without the
 * model): the tokenisation, padding, batching and LRU cache every victim shares, so two runtimes
 * differ only in `probsOf`. tfjs-free (createModelVictim in model_victim.ts is the tfjs one).
 *
 * Tokenizer contract (lib/data's tokenizer): `encode(text, textB?, { maxLength })` returns
 * `{ ids, tokenTypeIds }` with special tokens already added and truncated to `maxLength`.
 * A batch is padded to its longest row (`padId`, default 0) into an `EncodedBatch`; rows are
 * cached (LRU keyed by the texts).
 */
import { collate, type EncodedBatch } from "../data/mod.ts";
import type { TextInput } from "./attacked_text.ts";
import type { Victim } from "./victim.ts";
import { Lru } from "./_lru.ts";

export interface VictimTokenizer {
  encode(
    text: string,
    textB?: string,
    options?: { maxLength?: number },
  ): { ids: ArrayLike<number>; tokenTypeIds: ArrayLike<number> };
}

export interface ModelVictimOptions {
  /** Rows per forward pass; default 64. */
  batchSize?: number;
  /** Tokens per input (truncation); default 128. */
  maxLength?: number;
  /** Cached outputs; default 50000. */
  cacheSize?: number;
  /** Padding id; default 0 ([PAD] in BERT vocabularies). */
  padId?: number;
}

export interface ModelVictim extends Victim {
  readonly queries: number;
  readonly cacheHits: number;
  clearCache(): void;
}

/** Class probabilities of an encoded batch: one row of `numLabels` per input, in order. */
export type BatchProbabilities = (batch: EncodedBatch) => number[][] | Promise<number[][]>;

export function createBatchedVictim(
  numLabels: number,
  tokenizer: VictimTokenizer,
  probsOf: BatchProbabilities,
  options: ModelVictimOptions = {},
): ModelVictim {
  const { batchSize = 64, maxLength = 128, cacheSize = 50000, padId = 0 } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(
      `createModelVictim: batchSize must be a positive integer, got ${batchSize}`,
    );
  }
  if (!Number.isInteger(maxLength) || maxLength < 2) {
    throw new RangeError(`createModelVictim: maxLength must be an integer >= 2, got ${maxLength}`);
  }
  const cache = new Lru<string, number[]>(cacheSize);
  let queries = 0;
  let cacheHits = 0;

  const runBatch = async (inputs: readonly TextInput[]): Promise<number[][]> => {
    const enc = inputs.map((x) => tokenizer.encode(x.text, x.textB, { maxLength }));
    for (const e of enc) {
      if (e.ids.length > maxLength) {
        throw new RangeError(
          `createModelVictim: tokenizer returned ${e.ids.length} ids for maxLength ${maxLength}`,
        );
      }
    }
    const n = inputs.length;
    const batch: EncodedBatch = collate(enc, inputs.map((_, i) => i), null, { padId });
    const rows = await probsOf(batch);
    if (rows.length !== n || rows.some((r) => r.length !== numLabels)) {
      throw new RangeError(
        `createModelVictim: the forward pass returned ${rows.length} rows of ` +
          `[${[...new Set(rows.map((r) => r.length))]}] for ${n} inputs and ${numLabels} labels`,
      );
    }
    return rows;
  };

  return {
    numLabels,
    get queries() {
      return queries;
    },
    get cacheHits() {
      return cacheHits;
    },
    clearCache() {
      cache.clear();
    },
    async predict(inputs: readonly TextInput[]): Promise<number[][]> {
      const keys = inputs.map((
        x,
      ) => (x.textB === undefined ? x.text : `${x.text}\u0000${x.textB}`));
      const out: (number[] | undefined)[] = keys.map((k) => cache.get(k));
      const todo: number[] = [];
      out.forEach((o, i) => (o ? cacheHits++ : todo.push(i)));
      for (let b = 0; b < todo.length; b += batchSize) {
        const idx = todo.slice(b, b + batchSize);
        const rows = await runBatch(idx.map((i) => inputs[i]));
        queries += idx.length;
        idx.forEach((i, k) => {
          out[i] = rows[k];
          cache.set(keys[i], rows[k]);
        });
      }
      return out as number[][];
    },
  };
}
