/**
 * The TensorFlow.js side of lib/search_space (its `mod.ts` never loads tfjs): genome -> tfjs
 * student (`buildStudent`), latency on this machine, MAC counting of a forward pass, and the
 * searched students' checkpoints (importing this module registers the "searched" kind with
 * lib/models's `loadModel`).
 */
export { type BuildOptions, buildStudent, type SearchedStudent } from "./build.ts";
export {
  type LatencyOptions,
  type LatencyResult,
  measureLatency,
  syntheticBatch,
} from "./latency.ts";
export { withMacCounter } from "./_ops/macs.ts";
/** The shift op the convolution and pooling ops are made of (for benchmarks of those ops). */
export { shiftSeq } from "./_ops/shift.ts";
export { loadSearchedStudent, saveSearchedStudent } from "./student_checkpoint.ts";
/** The op implementations themselves (AdaBERT's supernet mixes them: one definition each). */
export { sepConv } from "./_ops/conv.ts";
export { seqPool } from "./_ops/pool.ts";
export { layerNorm } from "./_ops/layer_norm.ts";
export { embed } from "./_ops/embedding.ts";
export { linear } from "./_ops/linear.ts";
