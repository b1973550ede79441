/**
 * The tfjs-free part of the search-space surface: genome types, space, validation, canonical
 * form and hash, sampling, mutation, crossover, counts, statistics, description. Code that must
 * not load TensorFlow.js (lib/search, workers that only plan) imports this; everything else
 * imports `mod.ts`, which re-exports this plus the builder.
 */
export type {
  CellGene,
  CompressionBounds,
  FfnActivation,
  Genome,
  InputRef,
  NodeGene,
  SearchSpaceConfig,
  SizeContext,
} from "./types.ts";
export { OP_NAMES, OP_SPECS, opMacs, type OpName, opParams, type OpSpec } from "./ops.ts";
export {
  checkSpace,
  createSearchSpace,
  type CreateSpaceOptions,
  DEFAULT_SEARCH_SPACE,
  DEFAULT_SIZE_CONTEXT,
} from "./space.ts";
export {
  compressionRatio,
  genomeErrors,
  GenomeSchema,
  validateGenome,
  validateStructure,
} from "./validate.ts";
export { canonicalize, canonicalJson, genomeHash } from "./canonical.ts";
export { sampleGenome } from "./sample.ts";
export { mutate, MUTATION_WEIGHTS, type MutationKind } from "./mutate.ts";
export { crossover } from "./crossover.ts";
export { countFlops, countParams, type FlopOptions } from "./count.ts";
export { type ArchitectureStats, architectureStats } from "./stats.ts";
export { describeGenome } from "./describe.ts";
export {
  DEFAULT_KDNAS_SPACE,
  describeKdNasArch,
  KDNAS_CHOICES,
  type KdNasArch,
  kdnasArchErrors,
  type KdNasChoice,
  kdnasChoiceIndices,
  kdnasGenome,
  type KdNasSpace,
  kdnasSpaceSize,
  sampleKdNasArch,
} from "./kdnas_space.ts";
export {
  ADABERT_CELL_INPUTS,
  ADABERT_NODES,
  ADABERT_OPS,
  type AdaBertOp,
  adabertOpCosts,
  type CellEdge,
  cellEdges,
  deriveArchitecture,
  type DerivedArchitecture,
  derivedGenome,
  expectedEfficiencyCost,
  gumbelTemperature,
} from "./adabert_space.ts";
