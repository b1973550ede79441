/**
 * The pipeline's Worker tasks (lib/backend `TaskMap`): kind -> task and result. `worker.ts`
 * serves them; `createWorkerPool<PipelineTasks>(PIPELINE_WORKER)` runs them.
 */
import type {
  L2aPoolsResult,
  L2aPoolsTask,
  L2aStudentResult,
  L2aStudentTask,
  L2aTeacherResult,
  L2aTeacherTask,
} from "./l2a.ts";
import type { CandidateResult, CandidateTask } from "./evaluate_candidate.ts";
import type {
  FinalBaselineResult,
  FinalBaselineTask,
  FinalCacheTask,
  FinalEvalResult,
  FinalEvalTask,
  FinalTrainResult,
  FinalTrainTask,
} from "./final_tasks.ts";
import type { CacheRef, PreparedTeacher } from "./teacher.ts";
import type { RobustKdResult, RobustKdTask } from "./robust_kd.ts";
import type { EvalSettings } from "./settings.ts";
import type {
  AdaBertRetrainResult,
  AdaBertRetrainTask,
  AdaBertSearchTask,
  AdaBertSearchTaskResult,
} from "./adabert.ts";
import type {
  MetaEvalTask,
  MetaStudentResult,
  MetaStudentTask,
  MetaTeacherResult,
  MetaTeacherTask,
} from "./meta_kd.ts";

export type PipelineTasks = {
  candidate: { task: CandidateTask; result: CandidateResult };
  final_train: { task: FinalTrainTask; result: FinalTrainResult };
  final_train_baseline: { task: FinalBaselineTask; result: FinalBaselineResult };
  final_eval: { task: FinalEvalTask; result: FinalEvalResult };
  final_cache: { task: FinalCacheTask; result: CacheRef };
  /** A student trained with one robust-KD method (lib/pipeline robust_kd.ts). */
  robust_kd_train: { task: RobustKdTask; result: RobustKdResult };
  /** Meta-KD (lib/pipeline meta_kd.ts): a teacher on Amazon domains, a student for one. */
  meta_kd_teacher: { task: MetaTeacherTask; result: MetaTeacherResult };
  meta_kd_student: { task: MetaStudentTask; result: MetaStudentResult };
  meta_kd_eval: { task: MetaEvalTask; result: Record<string, string> };
  /** AdaBERT (lib/pipeline adabert.ts): a search on one task, a derived student retrained. */
  adabert_search: { task: AdaBertSearchTask; result: AdaBertSearchTaskResult };
  adabert_retrain: { task: AdaBertRetrainTask; result: AdaBertRetrainResult };
  /** L2A (lib/pipeline l2a.ts): candidate pools, a target-adapted teacher, one student. */
  l2a_pools: { task: L2aPoolsTask; result: L2aPoolsResult };
  l2a_teacher: { task: L2aTeacherTask; result: L2aTeacherResult };
  l2a_student: { task: L2aStudentTask; result: L2aStudentResult };
  /** A queue worker's own teacher caches (lib/pipeline queue_worker.ts), off its main thread. */
  prepare_teacher: { task: { dir: string; settings: EvalSettings }; result: PreparedTeacher };
};

/** The worker module serving `PipelineTasks`. */
export const PIPELINE_WORKER: URL = new URL("./worker.ts", import.meta.url);
