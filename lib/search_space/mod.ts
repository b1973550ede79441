/**
 * Search space of RoSearch students (DESIGN.md convention 5): genomes as plain JSON data,
 * sampling, mutation, crossover, validation, canonical form and hash, size / FLOP counts,
 * architecture statistics (all from `genome.ts`, which never loads tfjs), plus
 * `buildStudent` (genome -> tfjs Classifier) and `measureLatency`.
 *
 * Deviations (ours, the paper's space is unknown): op set, node semantics (one op on the sum
 * of a node's inputs), depthwise-separable convolutions, mean pooling, compression counted
 * over all parameters including embeddings. `mutate(genome, space, prng)` and
 * `crossover(a, b, space, prng)` take three / four positional arguments as the task asked.
 */
export * from "./genome.ts";
export { type BuildOptions, buildStudent, type SearchedStudent } from "./build.ts";
export {
  type LatencyOptions,
  type LatencyResult,
  measureLatency,
  syntheticBatch,
} from "./latency.ts";
export { withMacCounter } from "./_ops/macs.ts";
