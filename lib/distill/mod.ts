/**
 * Knowledge distillation: losses, layer matches, the teacher-output cache and the loop.
 * See each file's header for the paper each formula follows and the documented deviations.
 */
export { hardLabelCE, softCE, softTargetKL, type TemperatureOptions } from "./logit_losses.ts";
export {
  clsOf,
  cosineLoss,
  createProjection,
  hiddenMSE,
  patientLoss,
  type Projection,
  type ProjectionOptions,
} from "./hidden_losses.ts";
export { attentionMSE } from "./attention_loss.ts";
export {
  ALLOWED_LOSSES,
  type Depths,
  type Feature,
  type LayerMatch,
  type MatchLoss,
  type Objective,
  type ObjectiveInput,
  objectiveSchema,
  parseObjective,
  uniformLayerMap,
  type UniformMapOptions,
  validateLayerMatches,
} from "./objective.ts";
export {
  addTeacherTargets,
  type BuildOptions,
  buildTeacherCache,
  type CachedHiddenSpec,
  checkLengths,
  DEFAULT_CACHE_ROOT,
  hashExamples,
  type HiddenPooling,
  type OpenOptions,
  openTeacherCache,
  sha256File,
  type TeacherBatch,
  type TeacherCache,
  teacherCacheKey,
  type TeacherCacheKeyParts,
  type TeacherTargets,
} from "./teacher_cache.ts";
export { correctByExample, evaluateAccuracy, evaluateAgreement, predict } from "./evaluate.ts";
export {
  distill,
  type DistillAuxiliary,
  type DistillCheckpoint,
  type DistillData,
  type DistillEvaluation,
  type DistillOptions,
  type DistillProgress,
  type DistillSummary,
  type TeacherSource,
} from "./distill.ts";
export {
  type Baseline,
  BASELINES,
  bilstm,
  distilbert,
  FACTORISED_EMBEDDING_SIZE,
  halfDepthStudent,
  initFromTeacher,
  pkd,
  selectBaselines,
  studentBertConfig,
  type TeacherSourceSpec,
  tinybert,
  TINYBERT_SIZE,
} from "./baselines/mod.ts";
export {
  distillBaseline,
  type DistillBaselineOptions,
  type DistilledBaseline,
} from "./baselines/distill_baseline.ts";
export type { AugmenterContext, DistillAugmenter } from "./augmenter.ts";
export { gumbelNoiseFrom, type GumbelOptions, gumbelSoftmaxST } from "./gumbel.ts";
export { type MaskedTokens, maskTokens, type TokenMaskingOptions } from "./token_masking.ts";
export {
  type MaskedLMGenerator,
  type MateKd,
  mateKd,
  type MateKdOptions,
  type MateKdRecord,
  mateObjective,
} from "./mate_kd.ts";
export { randomTokenKd, type RandomTokenKdOptions } from "./random_token_kd.ts";
export { embeddingPgdKd, type EmbeddingPgdKdOptions } from "./embedding_pgd_kd.ts";
export { gradientReversal } from "./gradient_reversal.ts";
export {
  teacherConfidenceFactor,
  type Transferability,
  transferabilityWeights,
} from "./transferability.ts";
export {
  domainAdversarial,
  type DomainAdversarialOptions,
  meanTokenState,
} from "./domain_adversarial.ts";
export { type LayerProbes, type ProbeOptions, trainLayerProbes } from "./layer_probes.ts";
export { ReinforcedSelector, type SelectorState } from "./selector.ts";
export {
  L2A_FEATURES,
  type L2aCandidate,
  type L2aCurriculum,
  l2aCurriculum,
  type L2aCurriculumOptions,
  type L2aRound,
} from "./l2a.ts";
