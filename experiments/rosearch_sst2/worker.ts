/**
 * The experiment's Worker module (lib/backend `createWorkerPool` + `serveWorker`): one task
 * kind per unit of work. Each worker loads its own tfjs wasm backend (one core), data sets,
 * tokenizer and attack resources once and reuses them across tasks.
 */
import { serveWorker } from "../../lib/backend/worker_serve.ts";
import { type CandidateTask, evaluateCandidate } from "./evaluate_candidate.ts";
import {
  buildFinalCache,
  type FinalCacheTask,
  finalEval,
  type FinalEvalTask,
  finalTrain,
  type FinalTrainTask,
} from "./final_tasks.ts";

export type WorkerTask =
  | { kind: "candidate"; task: CandidateTask }
  | { kind: "final_train"; task: FinalTrainTask }
  | { kind: "final_eval"; task: FinalEvalTask }
  | { kind: "final_cache"; task: FinalCacheTask };

serveWorker<WorkerTask, unknown>((msg) => {
  switch (msg.kind) {
    case "candidate":
      return evaluateCandidate(msg.task);
    case "final_train":
      return finalTrain(msg.task);
    case "final_eval":
      return finalEval(msg.task);
    case "final_cache":
      return buildFinalCache(msg.task);
    default:
      throw new TypeError(
        `rosearch worker: unknown task kind ${JSON.stringify((msg as { kind: unknown }).kind)}; ` +
          `allowed: candidate, final_train, final_eval, final_cache`,
      );
  }
});
