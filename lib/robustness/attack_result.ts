/**
 * Attack results (TextAttack's `SuccessfulAttackResult`, `FailedAttackResult`,
 * `SkippedAttackResult`). `MAXIMIZED_QUERIES` marks a failed attack that stopped because the
 * query budget ran out; TextAttack reports those as failed, and so do the metrics here.
 */
import { AttackedText } from "./attacked_text.ts";
import type { GoalFunctionResult } from "./goal_function.ts";

export const RESULT_TYPES = ["SUCCEEDED", "FAILED", "SKIPPED", "MAXIMIZED_QUERIES"] as const;
export type ResultType = typeof RESULT_TYPES[number];

/** What the metrics need from a result (also what a stored record holds). */
export interface ResultStats {
  resultType: ResultType;
  /** Queries used for the example (the original's counts as one). */
  numQueries: number;
  /** Words in the original text. */
  numWords: number;
  /** Words that differ position by position (TextAttack's `all_words_diff`). */
  numWordsChanged: number;
}

export class AttackResult implements ResultStats {
  readonly resultType: ResultType;
  readonly original: GoalFunctionResult;
  readonly perturbed: GoalFunctionResult;
  readonly numQueries: number;
  readonly numWords: number;
  readonly numWordsChanged: number;

  constructor(
    resultType: ResultType,
    original: GoalFunctionResult,
    perturbed: GoalFunctionResult,
    numQueries: number,
  ) {
    this.resultType = resultType;
    this.original = original;
    this.perturbed = perturbed;
    this.numQueries = numQueries;
    this.numWords = original.attackedText.numWords;
    this.numWordsChanged = original.attackedText.allWordsDiff(perturbed.attackedText).size;
  }

  /** 100 * changed / words, as TextAttack computes it (0 for an empty text). */
  get perturbedWordPercent(): number {
    return this.numWords > 0 ? (this.numWordsChanged * 100) / this.numWords : 0;
  }

  get groundTruth(): number {
    return this.original.groundTruth;
  }

  /** Plain text: labels and confidences, then both texts with changed words in [[...]]. */
  toString(): string {
    const lab = (r: GoalFunctionResult) => {
      let best = 0;
      r.output.forEach((p, i) => (p > r.output[best] ? best = i : 0));
      return `${best} (${Math.round(r.output[best] * 100)}%)`;
    };
    const head = `[${this.resultType}] ${lab(this.original)} --> ${
      this.resultType === "SKIPPED" ? "[SKIPPED]" : lab(this.perturbed)
    }`;
    if (this.resultType === "SKIPPED") return `${head}\n\n${this.original.attackedText.text}`;
    const d = this.original.attackedText.diff(this.perturbed.attackedText);
    return `${head}\n\n${d.original}\n\n${d.perturbed}`;
  }
}

export { AttackedText };
