/**
 * The TensorFlow.js side of lib/search (its `mod.ts` never loads tfjs): AdaBERT's supernet and
 * its differentiable search loop.
 */
export {
  AdaBertSupernet,
  type SupernetForwardOptions,
  type SupernetOptions,
  type SupernetOutput,
} from "./adabert_supernet.ts";
export {
  ADABERT_OP_NAMES,
  type AdaBertData,
  type AdaBertRecord,
  adabertSearch,
  type AdaBertSearchOptions,
  type AdaBertSearchResult,
} from "./adabert.ts";
