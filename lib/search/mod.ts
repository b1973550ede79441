/**
 * Search strategies and fitness functions (no tfjs: the strategy only sees plain genomes and
 * numbers). Regularized evolution with ask/tell and serialisable state; fitness registry.
 * Controller-based (KD-NAS) and differentiable (AdaBERT) strategies are not here yet.
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
