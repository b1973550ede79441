/**
 * Goal function (TextAttack's `UntargetedClassification`): owns the query count and budget for
 * one example at a time, batches queries to the victim, and scores each candidate text.
 *
 * score = 1 - p(ground truth); goal reached when argmax(p) != ground truth; an example is
 * SKIPPED when the model is already wrong on the original. As in TextAttack every requested
 * text counts as a query (also those answered from the cache), the initial text included, and
 * a request larger than the remaining budget is cut to fit it.
 */
import { AttackedText } from "./attacked_text.ts";
import { Lru } from "./_lru.ts";
import type { Victim } from "./victim.ts";

/** TextAttack's `GoalFunctionResultStatus`. */
export type GoalStatus = "SUCCEEDED" | "SEARCHING" | "SKIPPED";

export interface GoalFunctionResult {
  readonly attackedText: AttackedText;
  /** Class probabilities. */
  readonly output: readonly number[];
  readonly status: GoalStatus;
  readonly score: number;
  /** Queries used for this example when this result was produced. */
  numQueries: number;
  readonly groundTruth: number;
}

export interface GoalFunctionOptions {
  /** Maximum queries per example; default Infinity. */
  queryBudget?: number;
  /** Texts per `victim.predict` call; default 32 (TextAttack's `model_batch_size`). */
  batchSize?: number;
  /** Outputs cached per example (cleared between examples); default 2**16. */
  cacheSize?: number;
}

export class UntargetedClassification {
  readonly victim: Victim;
  readonly queryBudget: number;
  readonly batchSize: number;
  #numQueries = 0;
  #groundTruth = 0;
  readonly #cache: Lru<string, number[]>;

  constructor(victim: Victim, options: GoalFunctionOptions = {}) {
    const { queryBudget = Infinity, batchSize = 32, cacheSize = 2 ** 16 } = options;
    if (!(queryBudget >= 1)) {
      throw new RangeError(
        `UntargetedClassification: queryBudget must be >= 1, got ${queryBudget}`,
      );
    }
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new RangeError(
        `UntargetedClassification: batchSize must be a positive integer, got ${batchSize}`,
      );
    }
    if (!Number.isInteger(victim.numLabels) || victim.numLabels < 2) {
      throw new RangeError(
        "UntargetedClassification: victim.numLabels must be an integer >= 2, " +
          `got ${victim.numLabels}`,
      );
    }
    this.victim = victim;
    this.queryBudget = queryBudget;
    this.batchSize = batchSize;
    this.#cache = new Lru(cacheSize);
  }

  get numQueries(): number {
    return this.#numQueries;
  }

  get budgetExhausted(): boolean {
    return this.#numQueries >= this.queryBudget;
  }

  /** Starts a new example: resets the query count and cache, scores the original (1 query). */
  async initAttackExample(text: AttackedText, groundTruth: number): Promise<GoalFunctionResult> {
    if (!Number.isInteger(groundTruth) || groundTruth < 0 || groundTruth >= this.victim.numLabels) {
      throw new RangeError(
        `UntargetedClassification: ground truth ${groundTruth} ` +
          `is not a label in [0, ${this.victim.numLabels})`,
      );
    }
    this.#numQueries = 0;
    this.#groundTruth = groundTruth;
    this.#cache.clear();
    const { results } = await this.getResults([text], { checkSkip: true });
    return results[0];
  }

  /**
   * Scores candidate texts. Returns fewer results than texts when the budget runs out;
   * `searchOver` is true once the budget is used up.
   */
  async getResults(
    texts: readonly AttackedText[],
    options: { checkSkip?: boolean } = {},
  ): Promise<{ results: GoalFunctionResult[]; searchOver: boolean }> {
    const left = this.queryBudget - this.#numQueries;
    const list = left < texts.length ? texts.slice(0, Math.max(0, left)) : texts;
    this.#numQueries += list.length;
    const outputs = await this.#callModel(list);
    const gt = this.#groundTruth;
    const results = list.map((attackedText, i): GoalFunctionResult => {
      const output = outputs[i];
      const predicted = argmax(output);
      let status: GoalStatus = predicted !== gt ? "SUCCEEDED" : "SEARCHING";
      if (options.checkSkip && predicted !== gt) status = "SKIPPED";
      return {
        attackedText,
        output,
        status,
        score: 1 - output[gt],
        numQueries: this.#numQueries,
        groundTruth: gt,
      };
    });
    return { results, searchOver: this.#numQueries >= this.queryBudget };
  }

  async #callModel(texts: readonly AttackedText[]): Promise<number[][]> {
    const out: (number[] | undefined)[] = texts.map((t) => this.#cache.get(t.key));
    const missing: number[] = [];
    const seen = new Map<string, number>();
    texts.forEach((t, i) => {
      if (out[i] === undefined && !seen.has(t.key)) {
        seen.set(t.key, i);
        missing.push(i);
      }
    });
    for (let b = 0; b < missing.length; b += this.batchSize) {
      const idx = missing.slice(b, b + this.batchSize);
      const rows = await this.victim.predict(idx.map((i) => texts[i].toInput()));
      if (!Array.isArray(rows) || rows.length !== idx.length) {
        throw new RangeError(
          `Victim.predict returned ${
            Array.isArray(rows) ? rows.length : typeof rows
          } rows for ${idx.length} inputs`,
        );
      }
      rows.forEach((row, k) => {
        if (row.length !== this.victim.numLabels || row.some((p) => !Number.isFinite(p))) {
          throw new RangeError(
            `Victim.predict row ${k} must be ${this.victim.numLabels} finite probabilities, got [${
              row.join(", ")
            }]`,
          );
        }
        const r = Array.from(row);
        this.#cache.set(texts[idx[k]].key, r);
        out[idx[k]] = r;
      });
    }
    return texts.map((t, i) => out[i] ?? this.#cache.get(t.key) ?? out[seen.get(t.key)!]!);
  }
}

export function argmax(xs: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i] > xs[best]) best = i;
  return best;
}
