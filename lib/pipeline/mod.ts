/**
 * lib/pipeline: the unit of work of every architecture search (DESIGN.md "Data flow") and what
 * runs around it, in TensorFlow.js: the search's fixed data subsets, the teacher and its output
 * caches, candidate evaluation (distil from the cache, evaluate, attack, size, latency), the
 * Worker module and its typed tasks, the local evaluation engine for lib/search's loop, and the
 * final comparison (retrain the top students, attack every model under one protocol).
 * Experiments (experiments/<study>/) hold only their config, CLI and results.
 */
export {
  type DatasetChoice,
  type EvalSettings,
  type FinalSettings,
  MAX_POSITIONS,
  type TrainSettings,
  VOCAB_SIZE,
} from "./settings.ts";
export { finalTrainSet, type SearchData, searchData } from "./search_data.ts";
export {
  cacheFor,
  type CacheRef,
  checkTeacherDir,
  type PreparedTeacher,
  prepareTeacher,
  type TeacherInfo,
} from "./teacher.ts";
export {
  type CandidateResult,
  type CandidateTask,
  evaluateCandidate,
  openCache,
  type TeacherRef,
  trainStudent,
} from "./evaluate_candidate.ts";
export {
  buildFinalCache,
  type FinalBaselineResult,
  type FinalBaselineTask,
  type FinalCacheTask,
  finalEval,
  type FinalEvalResult,
  type FinalEvalTask,
  finalTrain,
  finalTrainBaseline,
  type FinalTrainResult,
  type FinalTrainTask,
} from "./final_tasks.ts";
export {
  FINAL_TRAIN_SEED,
  type FinalModel,
  type FinalStageOptions,
  findBaselines,
  runFinalStage,
} from "./final_stage.ts";
export {
  type Comparison,
  type FinalTable,
  pairedComparisons,
  type Proportion,
  proportion,
  type RecipeCell,
  tableMarkdown,
  type TableRow,
} from "./final_table.ts";
export { PIPELINE_WORKER, type PipelineTasks } from "./tasks.ts";
export { localEngine } from "./local_engine.ts";
export { pinTeacherTiming, TEACHER_ARTIFACT } from "./teacher_timing.ts";
export {
  ROBUST_KD_METHODS,
  ROBUST_KD_STUDENTS,
  type RobustKdMethod,
  type RobustKdResult,
  type RobustKdStudent,
  type RobustKdTask,
} from "./robust_kd.ts";
export {
  atChance,
  type RobustKdComparison,
  robustKdComparisons,
  robustKdMarkdown,
  type RobustKdRow,
  robustKdRow,
} from "./robust_kd_table.ts";
export { checkKdMode, KD_MODES, type KdAugmenter, kdAugmenter, type KdMode } from "./kd_mode.ts";
export { type KdChange, kdChangeMarkdown, kdChanges, kdChangeSentence } from "./kd_change.ts";
export {
  type KdNasComparison,
  kdnasMarkdown,
  type KdNasModelInput,
  type KdNasRow,
  type KdNasTable,
  kdnasTable,
} from "./kdnas_table.ts";
export { latencyProfiles, type LatencySummary } from "./latency_profiles.ts";
export { exampleRepresentations, metaKdWeights } from "./meta_kd_weights.ts";
export {
  correctString,
  META_KD,
  type MetaEvalTask,
  type MetaKdCommon,
  metaKdEvaluate,
  metaKdStudent,
  metaKdStudentObjective,
  metaKdTeacher,
  type MetaStudentResult,
  type MetaStudentTask,
  type MetaTeacherResult,
  type MetaTeacherTask,
} from "./meta_kd.ts";
export {
  accuracyOf,
  META_KD_METHODS,
  type MetaKdComparison,
  type MetaKdReport,
  metaKdReport,
  type MetaKdRow,
} from "./meta_kd_report.ts";
export {
  ADABERT_DATASETS,
  adabertData,
  type AdaBertDataset,
  type AdaBertRetrainResult,
  type AdaBertRetrainTask,
  adabertRetrainTask,
  type AdaBertSearchTask,
  adabertSearchTask,
  type AdaBertSearchTaskResult,
  type AdaBertSupernetSize,
} from "./adabert.ts";
export { supernetActivationBytes } from "./adabert.ts";
export {
  type AdaBertOwnTest,
  type AdaBertReport,
  adabertReport,
  type AdaBertTransferCell,
} from "./adabert_report.ts";
export {
  L2A_METHODS,
  type L2aMethod,
  l2aPools,
  type L2aPoolsResult,
  type L2aPoolsTask,
  l2aStudent,
  type L2aStudentResult,
  type L2aStudentTask,
  l2aTeacher,
  type L2aTeacherResult,
  type L2aTeacherTask,
  readPool,
} from "./l2a.ts";
export { L2A_SIZES, l2aData, leakCheck, mrTestIndex } from "./l2a_data.ts";
export { type L2aReport, l2aReport, type L2aRow, type L2aTest } from "./l2a_report.ts";
