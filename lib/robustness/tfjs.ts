/**
 * The TensorFlow.js side of lib/robustness (its `mod.ts` never loads tfjs): a lib/models
 * classifier as a victim, a BERT masked LM for the MLM-based recipes, and the one attack setup
 * (`attackResources`, `runnableRecipes`, `attackModel`).
 */
export { createModelVictim, embeddingFromModel } from "./model_victim.ts";
export type { ModelVictim, ModelVictimOptions, VictimTokenizer } from "./batched_victim.ts";
export { createModelMaskedLM } from "./model_mlm.ts";
export {
  attackInputs,
  attackModel,
  type AttackModelOptions,
  type AttackOutcome,
  type AttackResourceOptions,
  type AttackResources,
  attackResources,
  attackWordVectors,
  loadMaskedLM,
  type OutcomeCodes,
  outcomeCodes,
  ownEmbedding,
  robustOf,
  runnableRecipes,
  teacherEmbedding,
} from "./setup.ts";
// word vectors on disk (their safetensors reader is lib/models', which loads tfjs)
export {
  DEFAULT_WORDVEC_DIR,
  formatWords,
  loadWordVectors,
  type LoadWordVectorsOptions,
  parseWords,
  serializeVectors,
  SKIPGRAM_FILE,
  VECTORS_FILE,
  WORDS_FILE,
  WORDVEC_FORMAT,
  WordVectors,
  type WordVectorsOptions,
  writeWordVectors,
} from "./word_vectors.ts";
