/**
 * The local evaluation engine (lib/search `EvaluationEngine`): candidates run as "candidate"
 * tasks on this machine's Worker pool, one per worker at a time.
 */
import type { WorkerPool } from "../backend/mod.ts";
import type { Ask, EvaluationEngine } from "../search/mod.ts";
import type { Genome } from "../search_space/mod.ts";
import type { CandidateResult, CandidateTask } from "./evaluate_candidate.ts";
import type { PipelineTasks } from "./tasks.ts";

/**
 * `taskOf` turns an ask (and the loop's `atAsk` context, e.g. the racing threshold) into the
 * worker task (genome + the run's fixed settings).
 */
export function localEngine(
  pool: WorkerPool<PipelineTasks>,
  taskOf: (ask: Ask<Genome>, context: unknown) => CandidateTask,
): EvaluationEngine<Genome, CandidateResult & Record<string, unknown>> {
  return {
    concurrency: pool.size,
    evaluate: (ask, context) =>
      pool.run("candidate", taskOf(ask, context)) as Promise<
        CandidateResult & Record<string, unknown>
      >,
  };
}
