/**
 * Public surface of lib/data: bundled data sets (validated at the boundary), seeded splits,
 * checksums, the BERT WordPiece tokenizer, batching and vocabulary pruning.
 */
export type { EncodedBatch, Example } from "./types.ts";
export { DEFAULT_DATA_ROOT, type LoaderOptions } from "./_files.ts";
export {
  columnLabelsOf,
  DATASET_NAMES,
  type DatasetInfo,
  datasetInfo,
  type DatasetName,
  loadDataset,
  type LoadedDataset,
  type LoadOptions,
  loadSplit,
  type SplitName,
} from "./registry.ts";
export { loadSst2, SST2_SPLITS, type Sst2Split } from "./sst2.ts";
export {
  loadMr,
  loadMrAll,
  loadMrSplits,
  MR_SPLIT_SEED,
  MR_SPLITS,
  type MrOptions,
  type MrSplit,
} from "./mr.ts";
export { loadMrpc, loadMrpcUnlabelled, MRPC_SPLITS, type MrpcSplit } from "./mrpc.ts";
export {
  loadTextFooler,
  NLI_LABELS,
  TEXTFOOLER_LABEL_NAMES,
  TEXTFOOLER_SETS,
  textFoolerCleanStr,
  type TextFoolerOptions,
  type TextFoolerSet,
} from "./textfooler.ts";
export {
  type HeldOut,
  type HeldOutOptions,
  heldOutSplit,
  sampleSubset,
  stratifiedCounts,
  type SubsetOptions,
} from "./splits.ts";
export { OverlapIndex, overlapWords, sentenceKey, SHINGLE_WORDS, shingles } from "./overlap.ts";
export {
  completeSentences,
  containedIn,
  type SentenceHeldOut,
  sentenceHeldOut,
  type SentenceHeldOutOptions,
} from "./sentence_split.ts";
export {
  assertChecksums,
  type ChecksumReport,
  parseChecksums,
  sha256Hex,
  verifyChecksums,
} from "./checksums.ts";
export {
  type BertTokenizer,
  type BertTokenizerOptions,
  createBertTokenizer,
  type EncodeOptions,
  type Encoding,
  readVocab,
  type SpecialIds,
} from "./tokenizer.ts";
export { decodeWordPiece } from "./decode.ts";
export {
  AMAZON_DOMAINS,
  AMAZON_MAX_LENGTH,
  AMAZON_SPLIT_SEED,
  type AmazonDomain,
  type AmazonOptions,
  type AmazonProblem,
  type AmazonSplit,
  decodeEntities,
  loadAmazonDomain,
  loadAmazonSplits,
  parseReviews,
} from "./amazon.ts";
export {
  bucketBatches,
  type BucketOptions,
  collate,
  encodeBatch,
  type EncodeBatchOptions,
  type EncodedExample,
  encodeExamples,
  paddingFraction,
  plainBatches,
} from "./batching.ts";
export {
  buildVocabMap,
  countIds,
  remapBatch,
  type VocabMap,
  type VocabMapOptions,
} from "./vocab_map.ts";
export { type MaskedBatch, type MaskOptions, maskTokens } from "./mlm_masking.ts";
export {
  loadTrecSplits,
  parseTrecLines,
  TREC_LABELS,
  TREC_SPLIT_SEED,
  type TrecSplit,
} from "./trec.ts";
export {
  loadSubjAll,
  loadSubjSplits,
  SUBJ_LABELS,
  SUBJ_SPLIT_SEED,
  type SubjSplit,
} from "./subj.ts";
