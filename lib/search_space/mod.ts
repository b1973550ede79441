/**
 * Search space of RoSearch students (DESIGN.md convention 5): genomes as plain JSON data,
 * sampling, mutation, crossover, validation, canonical form and hash, size / FLOP counts,
 * architecture statistics. No tfjs: the builder (`buildStudent`), `measureLatency` and the
 * searched students' checkpoints are in `tfjs.ts`, the area's TensorFlow.js surface.
 *
 * Deviations (ours, the paper's space is unknown): op set, node semantics (one op on the sum
 * of a node's inputs), depthwise-separable convolutions, mean pooling, compression counted
 * over all parameters including embeddings. `mutate(genome, space, prng)` and
 * `crossover(a, b, space, prng)` take three / four positional arguments as the task asked.
 */
export * from "./genome.ts";
