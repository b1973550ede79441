/**
 * Search strategies, fitness functions and the search loop (no tfjs: the strategy only sees
 * plain genomes and numbers). Regularized evolution with ask/tell and serialisable state;
 * fitness registry; `runSearchLoop`, the crash-safe ask/tell loop between a strategy and an
 * evaluation engine (`EvaluationEngine`: lib/pipeline's local Worker pool, or any in-process
 * function). Controller-based (KD-NAS) and differentiable (AdaBERT) strategies are not here yet.
 */
export {
  createEvolution,
  type Evolution,
  type EvolutionCounters,
  type EvolutionOptions,
  type EvolutionState,
  type Individual,
  type Origin,
  type PendingAsk,
  restoreEvolution,
} from "./evolution.ts";
export {
  type CandidateMetrics,
  computeFitness,
  DEFAULT_FITNESS,
  FITNESS,
  type FitnessFunction,
  type FitnessName,
  type FitnessResult,
  type KdNasRewardOptions,
  type RoSearchFitnessOptions,
} from "./fitness.ts";
export type { Ask, AskTellStrategy } from "./strategy.ts";
export type { EvaluationEngine, EvaluationResult } from "./engine.ts";
export {
  type CandidateRecord,
  candidateRecords,
  runSearchLoop,
  type SearchLoopOptions,
  type SearchLoopSummary,
  type SearchRun,
  STATE_ARTIFACT,
} from "./loop.ts";
export {
  checkRacing,
  type FitnessInterval,
  fitnessInterval,
  raceCandidate,
  type RaceOptions,
  type RaceResult,
  type RaceStep,
  type RacingOptions,
  racingThreshold,
  topKThreshold,
} from "./racing.ts";
export {
  createKdNas,
  type KdNas,
  type KdNasCandidate,
  type KdNasEpisodeQuality,
  kdnasEpsilon,
  type KdNasOptions,
  kdnasQuality,
  type KdNasState,
  restoreKdNas,
} from "./kdnas.ts";
export {
  createRewardModel,
  restoreRewardModel,
  type RewardExample,
  type RewardModel,
  type RewardModelKind,
  type RewardModelOptions,
  type RewardModelState,
} from "./reward_model.ts";
