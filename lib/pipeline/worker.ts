/**
 * The pipeline's Worker module (lib/backend `createWorkerPool` + `serveWorker`): one handler per
 * task kind of `PipelineTasks`. Each worker loads its own tfjs wasm backend (one core), data
 * sets, tokenizer and attack resources once and reuses them across tasks.
 */
import { serveWorker } from "../backend/mod.ts";
import { evaluateCandidate } from "./evaluate_candidate.ts";
import { buildFinalCache, finalEval, finalTrain, finalTrainBaseline } from "./final_tasks.ts";
import type { PipelineTasks } from "./tasks.ts";
import { prepareTeacher } from "./teacher.ts";
import { robustKdTrain } from "./robust_kd.ts";
import { metaKdEvaluate, metaKdStudent, metaKdTeacher } from "./meta_kd.ts";
import { l2aPools, l2aStudent, l2aTeacher } from "./l2a.ts";
import { adabertRetrainTask, adabertSearchTask } from "./adabert.ts";

serveWorker<PipelineTasks>({
  candidate: evaluateCandidate,
  final_train: finalTrain,
  final_train_baseline: finalTrainBaseline,
  final_eval: finalEval,
  robust_kd_train: robustKdTrain,
  meta_kd_teacher: metaKdTeacher,
  meta_kd_student: metaKdStudent,
  meta_kd_eval: metaKdEvaluate,
  adabert_search: adabertSearchTask,
  adabert_retrain: adabertRetrainTask,
  l2a_pools: l2aPools,
  l2a_teacher: l2aTeacher,
  l2a_student: l2aStudent,
  final_cache: buildFinalCache,
  prepare_teacher: ({ dir, settings }) => prepareTeacher(dir, settings),
});
