/**
 * lib/wordvec: general-purpose word vectors built here, for the attacks' word-embedding
 * constraint and swaps (TextFooler, TextBugger, BAE use counter-fitted vectors, Mrkšić et al.
 * 2016, which are not reachable from these machines). Skip-gram with negative sampling
 * (Mikolov et al. 2013) on all the bundled unlabelled text, then counter-fitting to the PPDB
 * synonym and WordNet/PPDB antonym pairs. No TensorFlow.js.
 *
 * @example
 * ```ts
 * const vectors = await loadWordVectors(); // data/wordvec/, a MatrixEmbedding
 * vectors.neighbours("charming", 10);
 * const attack = buildRecipe("textfooler", { victim, embedding: vectors });
 * ```
 */
export {
  AMAZON_FILES,
  type Corpus,
  CORPUS_SOURCES,
  type CorpusOptions,
  type CorpusSourceName,
  type CorpusSourceStats,
  readCorpus,
  tokenize,
  wholeSentences,
} from "./corpus.ts";
export {
  type AmazonParse,
  type AmazonReview,
  decodeEntities,
  parseAmazonReviews,
} from "./amazon_reviews.ts";
export {
  buildVocabulary,
  encodeCorpus,
  type EncodedCorpus,
  type Vocabulary,
  vocabularyOf,
  type VocabularyOptions,
} from "./vocabulary.ts";
export {
  keepProbabilities,
  type SkipGramOptions,
  type SkipGramResult,
  trainSkipGram,
  unigramTable,
} from "./skipgram.ts";
export {
  ANTONYM_FILES,
  type ConstraintSplit,
  HELD_OUT_SEED,
  type PairList,
  readConstraintPairs,
  readPairFile,
  splitConstraints,
  type SplitOptions,
  SYNONYM_FILES,
} from "./constraints.ts";
export {
  counterFit,
  type CounterFitEpoch,
  type CounterFitOptions,
  type CounterFitResult,
  normaliseRows,
  type RowMatrix,
  type VspPairs,
  vspPairs,
} from "./counter_fit.ts";
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
} from "../robustness/tfjs.ts";
export { centreAndNormalise, meanRow } from "./postprocess.ts";
export {
  type BuildOptions,
  buildWordVectors,
  DEFAULT_SETTINGS,
  type WordVecBuild,
  type WordVecSettings,
} from "./build.ts";
