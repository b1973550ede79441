/**
 * Search method (TextAttack's `SearchMethod`): walks the space of transformed texts from the
 * original result toward the goal, using the attack's transformations (pre- and
 * post-constraints applied) and goal function (which counts queries and stops at the budget).
 */
import type { AttackedText } from "./attacked_text.ts";
import type { GoalFunctionResult } from "./goal_function.ts";
import type { Transformation } from "./transformation.ts";

export interface SearchContext {
  /** Candidates from `current`, filtered by every constraint (original = the attacked text). */
  getTransformations(
    current: AttackedText,
    original: AttackedText,
    options?: { indicesToModify?: readonly number[] },
  ): Promise<AttackedText[]>;
  /** Indices of `current` the pre-transformation constraints allow editing, ascending. */
  modifiableIndices(current: AttackedText): number[];
  /** Scores candidates; `searchOver` once the query budget is spent. */
  getGoalResults(
    texts: readonly AttackedText[],
  ): Promise<{ results: GoalFunctionResult[]; searchOver: boolean }>;
}

export interface SearchMethod {
  readonly name: string;
  /** Why this search cannot use `transformation`, or undefined when it can. */
  incompatibility(transformation: Transformation): string | undefined;
  search(initial: GoalFunctionResult, context: SearchContext): Promise<GoalFunctionResult>;
}
