/**
 * Where candidates are evaluated, apart from what is searched (DESIGN.md convention 15, after Ray
 * Tune's trainable/scheduler split and NNI's training services). The search loop hands an engine
 * one ask at a time, keeps at most `concurrency` in flight and records each result once; the
 * engine only evaluates. Implementations: lib/pipeline's `localEngine` (the Deno Worker pool, the
 * default), any object with this shape in a test or notebook (an in-process function).
 */
import type { Genome } from "../search_space/mod.ts";
import type { Ask } from "./strategy.ts";

/** A candidate's metrics: plain JSON with at least the fields the fitness reads. */
export type EvaluationResult = Record<string, unknown> & { architectureStats?: unknown };

export interface EvaluationEngine<G = Genome, R extends EvaluationResult = EvaluationResult> {
  /** How many evaluations may run at once. */
  readonly concurrency: number;
  /**
   * Evaluates one ask; rejects when the evaluation failed (the loop records the error).
   * `context` is what the loop's `atAsk` option computed when the candidate was asked (for
   * racing: the score to beat), the same on every run of a seed.
   */
  evaluate(ask: Ask<G>, context?: unknown): Promise<R>;
}
