/**
 * lib/robustness: adversarial attacks on text classifiers, composed as in TextAttack
 * (QData/TextAttack): goal function + constraints + transformation + search method = Attack;
 * recipes by TextAttack's names; TextAttack's metrics and summary table; a resumable runner;
 * a notebook display object. This surface never loads TensorFlow.js; the tfjs side (the model
 * victim, the masked-LM wrapper, and `attackResources` / `attackModel`, the one attack setup
 * every experiment uses) is `tfjs.ts`.
 *
 * @example
 * ```ts
 * const attack = buildRecipe("textfooler", { victim, embedding });
 * const { results } = await runAttack(attack, examples, { run, resume: run.completedKeys() });
 * console.log(summaryTable(results));
 * ```
 */
export {
  type AttackAttrs,
  AttackedText,
  splitWords,
  type TextInput,
  wordsFromText,
  type WordSpan,
} from "./attacked_text.ts";
export type { Victim } from "./victim.ts";
export {
  type BatchProbabilities,
  createBatchedVictim,
  type ModelVictim,
  type ModelVictimOptions,
  type VictimTokenizer,
} from "./batched_victim.ts";
export {
  argmax,
  type GoalFunctionOptions,
  type GoalFunctionResult,
  type GoalStatus,
  UntargetedClassification,
} from "./goal_function.ts";
export type { AnyConstraint, Constraint, PreTransformationConstraint } from "./constraint.ts";
export {
  consistsOfWordSwaps,
  consistsOfWordSwapsAndDeletions,
  type Transformation,
  type TransformationKind,
} from "./transformation.ts";
export type { SearchContext, SearchMethod } from "./search_method.ts";
export {
  cosine,
  MatrixEmbedding,
  type MatrixEmbeddingOptions,
  type Neighbour,
  type WordEmbedding,
} from "./embedding.ts";

export { RepeatModification } from "./constraints/repeat_modification.ts";
export {
  NLTK_ENGLISH_STOPWORDS,
  StopwordModification,
  TEXTFOOLER_STOPWORDS,
} from "./constraints/stopword_modification.ts";
export { MaxModificationRate } from "./constraints/max_modification_rate.ts";
export { InputColumnModification } from "./constraints/input_column_modification.ts";
export {
  WordEmbeddingDistance,
  type WordEmbeddingDistanceOptions,
} from "./constraints/word_embedding_distance.ts";
export { PartOfSpeech } from "./constraints/part_of_speech.ts";
export {
  type AuditedExample,
  type AuditOptions,
  type AuditProxies,
  auditProxies,
  auditResults,
  markSwaps,
  type Swap,
} from "./audit.ts";
export { auditSummaryMarkdown, type RecipeAudit, recipeAuditMarkdown } from "./audit_report.ts";
export {
  DEFAULT_MAX_LOG_PROB_DROP,
  MaskedLMFluency,
  type MaskedLMFluencyOptions,
  type MaskedWordScorer,
  type WordInContext,
} from "./constraints/masked_lm_fluency.ts";
export { tagWords, tagWordsWithForms, verbForm } from "./constraints/_pos_tagger.ts";
export { MaxWordsPerturbed } from "./constraints/max_words_perturbed.ts";
export { levenshtein, LevenshteinEditDistance } from "./constraints/levenshtein_edit_distance.ts";
export {
  WindowEmbeddingSimilarity,
  type WindowSimilarityOptions,
} from "./constraints/window_similarity.ts";
export { AntonymExclusion } from "./constraints/antonym_exclusion.ts";

export { recoverWordCase, WordSwap } from "./transformations/word_swap.ts";
export { CompositeTransformation } from "./transformations/composite_transformation.ts";
export { WordSwapEmbedding } from "./transformations/word_swap_embedding.ts";
export { loadSynonymPairs, WordSwapPPDB } from "./transformations/word_swap_ppdb.ts";
export { WordSwapWordNet } from "./transformations/word_swap_wordnet.ts";
export { sharedWordNet, WordNet, type WordNetPos } from "./transformations/_wordnet.ts";
export {
  eda,
  EDA_OPERATIONS,
  type EdaOperation,
  edaOperation,
  type EdaOptions,
  edaWords,
} from "./eda.ts";
export { mlmRewrite, type MlmRewriteOptions, type Rewritten } from "./mlm_rewrite.ts";
export {
  type CharacterSwapOptions,
  HOMOGLYPHS,
  QWERTY_NEIGHBOURS,
  WordSwapHomoglyphSwap,
  WordSwapNeighboringCharacterSwap,
  WordSwapQWERTY,
  WordSwapRandomCharacterDeletion,
  WordSwapRandomCharacterInsertion,
  WordSwapRandomCharacterSubstitution,
} from "./transformations/word_swap_characters.ts";
export {
  type MaskedLM,
  type MaskPrediction,
  WordSwapMaskedLM,
  type WordSwapMaskedLMOptions,
} from "./transformations/word_swap_masked_lm.ts";
export type {
  MlmLogitsModel,
  MlmTokenizer,
  ModelMaskedLM,
  ModelMaskedLMOptions,
} from "./model_mlm.ts";

export {
  GreedyWordSwapWIR,
  type GreedyWordSwapWIROptions,
  WIR_METHODS,
  type WirMethod,
} from "./search/greedy_word_swap_wir.ts";
export { BeamSearch, GreedySearch } from "./search/beam_search.ts";

export { Attack, type AttackOptions, type AttackParts, type LabelledInput } from "./attack.ts";
export { AttackResult, RESULT_TYPES, type ResultStats, type ResultType } from "./attack_result.ts";
export {
  type AttackMetrics,
  attackMetrics,
  formatPy2,
  summaryRows,
  summaryTable,
} from "./metrics.ts";
export {
  type AttackRecord,
  type RecordAppender,
  runAttack,
  type RunAttackOptions,
  type RunAttackOutput,
  toRecord,
} from "./runner.ts";
export { AttackResultView } from "./view.ts";
export {
  baeGarg2019,
  buildRecipe,
  deepWordBugGao2018,
  pwwsRen2019,
  RECIPE_NAMES,
  type RecipeEntry,
  type RecipeName,
  recipeNeeds,
  type RecipeOptions,
  RECIPES,
  recipeUses,
  textBuggerLi2018,
  textFoolerJin2019,
  type TextFoolerOptions,
} from "./recipes/mod.ts";

/**
 * A pure-JS bag-of-words victim (`BowVictim`, with the small `SENTIMENT_WEIGHTS` lexicon) and a
 * seeded `synonymEmbedding` in which PPDB synonyms are close: tfjs-free stand-ins for a trained
 * classifier and a word embedding, used by tests and experiments/bench/textfooler_profile.ts to
 * time the attack machinery without model cost.
 */
export { BowVictim, SENTIMENT_WEIGHTS, synonymEmbedding } from "./_test_fixtures.ts";
