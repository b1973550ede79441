/**
 * Models: a BERT-compatible encoder with classifier and masked-LM heads, a BiLSTM classifier
 * (Tang et al. 2019), safetensors I/O, the project's checkpoint folders and Hugging Face import.
 * Parameters are `Map<string, tf.Variable>` with HF/PyTorch names; linear weights are stored
 * [in, out] internally and converted to PyTorch's [out, in] at import/export (`_layout.ts`).
 */
export type { Classifier, ForwardOptions, ModelOutput } from "./types.ts";
export {
  type BertConfig,
  type BertConfigInput,
  bertConfigSchema,
  isFactorised,
  parseBertConfig,
  wordEmbeddingSize,
} from "./config.ts";
export {
  type BertForwardOptions,
  type BertHeads,
  BertModel,
  bertParamSpecs,
  createBert,
  createBertClassifier,
  createBertForMaskedLM,
  type CreateBertOptions,
} from "./bert.ts";
export {
  BiLstmClassifier,
  type BiLstmConfig,
  type BiLstmConfigInput,
  biLstmConfigSchema,
  createBiLstmClassifier,
  parseBiLstmConfig,
} from "./bilstm.ts";
export {
  parseSafetensors,
  readSafetensors,
  type SafetensorsDtype,
  SafetensorsError,
  type SafetensorsFile,
  serializeSafetensors,
  type StoredTensor,
  type TensorToWrite,
  writeSafetensors,
} from "./safetensors.ts";
export {
  type CheckpointCodec,
  type CheckpointManifest,
  DEFAULT_VOCAB_PATH,
  loadCheckpoint,
  loadModel,
  registerCheckpointKind,
  saveCheckpoint,
  type SaveCheckpointOptions,
} from "./checkpoint.ts";
export {
  canonicalHfName,
  type HfLoadReport,
  type LoadHfOptions,
  loadHuggingFaceBert,
} from "./hf_import.ts";
export { type Factorised, factoriseEmbedding } from "./factorise.ts";
export { isTransposedParam } from "./_layout.ts";
/** The shared differentiable ops (fused on wasm): every model kind builds on these. */
export { bmm, dropout, geluErf, layerNorm, maskedSoftmax } from "./_ops.ts";
export { stateDictOf } from "./_state_dict.ts";
export {
  checkWordReplacement,
  type WordReplacement,
  wordTableOf,
  wordTableWidth,
  wordVectors,
} from "./word_replacement.ts";
