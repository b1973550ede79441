/**
 * Beam search (TextAttack's `BeamSearch`): every step expands all texts of the beam at every
 * allowed index, keeps the `beamWidth` best-scoring candidates, and stops at success, when no
 * candidate is left, or at the query budget. `GreedySearch` is a beam of width 1.
 */
import type { GoalFunctionResult } from "../goal_function.ts";
import type { AttackedText } from "../attacked_text.ts";
import type { SearchContext, SearchMethod } from "../search_method.ts";
import type { Transformation } from "../transformation.ts";

export class BeamSearch implements SearchMethod {
  readonly name: string;
  readonly beamWidth: number;

  /** `beamWidth` default 8 (TextAttack's default). */
  constructor(options: { beamWidth?: number } = {}) {
    const { beamWidth = 8 } = options;
    if (!Number.isInteger(beamWidth) || beamWidth < 1) {
      throw new RangeError(`BeamSearch: beamWidth must be a positive integer, got ${beamWidth}`);
    }
    this.beamWidth = beamWidth;
    this.name = `BeamSearch(${beamWidth})`;
  }

  incompatibility(_t: Transformation): string | undefined {
    return undefined;
  }

  async search(initial: GoalFunctionResult, ctx: SearchContext): Promise<GoalFunctionResult> {
    let beam: AttackedText[] = [initial.attackedText];
    let best = initial;
    while (best.status !== "SUCCEEDED") {
      const next: AttackedText[] = [];
      for (const t of beam) next.push(...await ctx.getTransformations(t, initial.attackedText));
      if (next.length === 0) return best;
      const { results, searchOver } = await ctx.getGoalResults(next);
      if (results.length === 0) return best;
      let bi = 0;
      results.forEach((r, k) => {
        if (r.score > results[bi].score) bi = k;
      });
      best = results[bi];
      if (searchOver) return best;
      beam = results.map((r, k) => ({ r, k }))
        .sort((a, b) => b.r.score - a.r.score || a.k - b.k)
        .slice(0, this.beamWidth)
        .map((x) => x.r.attackedText);
    }
    return best;
  }
}

export class GreedySearch extends BeamSearch {
  override readonly name = "GreedySearch";
  constructor() {
    super({ beamWidth: 1 });
  }
}
