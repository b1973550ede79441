/**
 * Greedy search over words ranked by importance (TextAttack's `GreedyWordSwapWIR`).
 *
 * Ranking (`wirMethod`):
 * - "delete": score of the text with the word deleted (TextFooler, Jin et al. 2020; BAE);
 * - "unk": score with the word replaced by `unkToken` (DeepWordBug, Gao et al. 2018);
 * - "weighted-saliency": PWWS (Ren et al. 2019): softmax over the "unk" saliencies times the
 *   best score reachable by swapping that word;
 * - "random": a random order from the given `prng`.
 * Words are then tried in that order; a swap is kept when it raises the score; the search stops
 * at the first success, returning the successful candidate with the highest
 * `attrs.similarityScore` when a similarity constraint set one, or at the query budget.
 */
import type { GoalFunctionResult } from "../goal_function.ts";
import type { SearchContext, SearchMethod } from "../search_method.ts";
import {
  consistsOfWordSwaps,
  consistsOfWordSwapsAndDeletions,
  type Transformation,
} from "../transformation.ts";
import type { Prng } from "../../random/mod.ts";

export const WIR_METHODS = ["delete", "unk", "weighted-saliency", "random"] as const;
export type WirMethod = typeof WIR_METHODS[number];

export interface GreedyWordSwapWIROptions {
  /** Default "unk" (TextAttack's default). */
  wirMethod?: WirMethod;
  /** Replacement for "unk" and "weighted-saliency"; default "[UNK]". */
  unkToken?: string;
  /** Needed for "random". */
  prng?: Prng;
}

function softmax(xs: number[]): number[] {
  const m = Math.max(...xs);
  const e = xs.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

export class GreedyWordSwapWIR implements SearchMethod {
  readonly name: string;
  readonly wirMethod: WirMethod;
  readonly unkToken: string;
  readonly #prng?: Prng;

  constructor(options: GreedyWordSwapWIROptions = {}) {
    const { wirMethod = "unk", unkToken = "[UNK]", prng } = options;
    if (!(WIR_METHODS as readonly string[]).includes(wirMethod)) {
      throw new RangeError(
        `GreedyWordSwapWIR: unknown wirMethod "${wirMethod}"; valid: ${WIR_METHODS.join(", ")}`,
      );
    }
    if (wirMethod === "random" && !prng) {
      throw new TypeError('GreedyWordSwapWIR: wirMethod "random" needs { prng }');
    }
    this.wirMethod = wirMethod;
    this.unkToken = unkToken;
    this.#prng = prng;
    this.name = `GreedyWordSwapWIR(${wirMethod})`;
  }

  incompatibility(t: Transformation): string | undefined {
    if (this.wirMethod === "weighted-saliency" && !consistsOfWordSwaps(t)) {
      return `wirMethod "weighted-saliency" needs a word-swap transformation, got ${t.name} (${
        [...t.kinds].join(", ")
      })`;
    }
    if (!consistsOfWordSwapsAndDeletions(t)) {
      return `GreedyWordSwapWIR ranks words, so it needs word swaps or deletions, got ${t.name} (${
        [...t.kinds].join(", ")
      })`;
    }
    return undefined;
  }

  async #indexOrder(
    initial: GoalFunctionResult,
    ctx: SearchContext,
  ): Promise<{ order: number[]; searchOver: boolean }> {
    const text = initial.attackedText;
    const indices = ctx.modifiableIndices(text);
    if (this.wirMethod === "random") {
      return { order: this.#prng!.shuffle([...indices]), searchOver: false };
    }
    const leaveOne = indices.map((i) =>
      this.wirMethod === "delete" ? text.deleteWordAt(i) : text.replaceWordAt(i, this.unkToken)
    );
    const { results, searchOver } = await ctx.getGoalResults(leaveOne);
    let scores = indices.map((_, k) => results[k]?.score ?? -Infinity);
    let over = searchOver;
    if (this.wirMethod === "weighted-saliency" && indices.length > 0) {
      const saliency = softmax(scores.map((s) => (Number.isFinite(s) ? s : 0)));
      const delta: number[] = [];
      for (const i of indices) {
        if (over) {
          delta.push(0);
          continue;
        }
        const cands = await ctx.getTransformations(text, text, { indicesToModify: [i] });
        if (cands.length === 0) {
          delta.push(0);
          continue;
        }
        const r = await ctx.getGoalResults(cands);
        over = r.searchOver;
        delta.push(r.results.length ? Math.max(...r.results.map((x) => x.score)) : 0);
      }
      scores = saliency.map((s, k) => s * delta[k]);
    }
    // Stable descending sort by score.
    const order = indices.map((i, k) => ({ i, s: scores[k], k }))
      .sort((a, b) => b.s - a.s || a.k - b.k)
      .map((x) => x.i);
    return { order, searchOver: over };
  }

  async search(initial: GoalFunctionResult, ctx: SearchContext): Promise<GoalFunctionResult> {
    const { order, searchOver: overAfterRanking } = await this.#indexOrder(initial, ctx);
    let searchOver = overAfterRanking;
    let cur = initial;
    for (let n = 0; n < order.length && !searchOver; n++) {
      const cands = await ctx.getTransformations(cur.attackedText, initial.attackedText, {
        indicesToModify: [order[n]],
      });
      if (cands.length === 0) continue;
      const r = await ctx.getGoalResults(cands);
      searchOver = r.searchOver;
      if (r.results.length === 0) continue;
      const sorted = [...r.results].sort((a, b) => b.score - a.score);
      if (!(sorted[0].score > cur.score)) continue;
      cur = sorted[0];
      if (cur.status === "SUCCEEDED") {
        let best = cur;
        let bestSim = -Infinity;
        for (const res of sorted) {
          if (res.status !== "SUCCEEDED") break;
          const sim = res.attackedText.attrs.similarityScore;
          if (sim === undefined) break;
          if (sim > bestSim) {
            bestSim = sim;
            best = res;
          }
        }
        return best;
      }
    }
    return cur;
  }
}
