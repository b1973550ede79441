/**
 * TextBugger: Li, Ji, Du, Li & Wang (2019), "TextBugger: Generating Adversarial Text Against
 * Real-world Applications", NDSS. arXiv:1812.05271.
 * As TextAttack's `TextBuggerLi2018`: candidates from inserting a space, deleting a character,
 * swapping neighbouring characters (first and last character kept), homoglyph swaps, and the 5
 * nearest embedding neighbours; RepeatModification, StopwordModification, sentence similarity
 * >= 0.8; greedy search ranked by deletion.
 *
 * Deviations: embedding neighbours from `options.embedding` (through `attackResources` the
 * project's counter-fitted vectors, data/wordvec, as TextAttack's counter-fitted ones; the paper
 * used GloVe); Universal Sentence Encoder ->
 * WindowEmbeddingSimilarity over the whole text (angular, against the original), a weaker filter.
 */
import { Attack } from "../attack.ts";
import { UntargetedClassification } from "../goal_function.ts";
import { RepeatModification } from "../constraints/repeat_modification.ts";
import { StopwordModification } from "../constraints/stopword_modification.ts";
import { WindowEmbeddingSimilarity } from "../constraints/window_similarity.ts";
import { GreedyWordSwapWIR } from "../search/greedy_word_swap_wir.ts";
import { CompositeTransformation } from "../transformations/composite_transformation.ts";
import {
  WordSwapHomoglyphSwap,
  WordSwapNeighboringCharacterSwap,
  WordSwapRandomCharacterDeletion,
  WordSwapRandomCharacterInsertion,
} from "../transformations/word_swap_characters.ts";
import { WordSwapEmbedding } from "../transformations/word_swap_embedding.ts";
import { need, type RecipeOptions } from "./_options.ts";

export function textBuggerLi2018(options: RecipeOptions): Attack {
  const embedding = need(
    options.embedding,
    "textbugger",
    "embedding",
    "word-swap candidates and sentence similarity",
  );
  const keepEnds = { randomOne: true, skipFirstChar: true, skipLastChar: true };
  return new Attack({
    goalFunction: new UntargetedClassification(options.victim, {
      queryBudget: options.queryBudget,
      batchSize: options.batchSize,
    }),
    constraints: [
      new RepeatModification(),
      new StopwordModification(),
      new WindowEmbeddingSimilarity(embedding, {
        threshold: 0.8,
        metric: "angular",
        windowSize: Infinity,
        compareAgainstOriginal: true,
      }),
    ],
    transformation: new CompositeTransformation([
      new WordSwapRandomCharacterInsertion({ ...keepEnds, lettersToInsert: " " }),
      new WordSwapRandomCharacterDeletion(keepEnds),
      new WordSwapNeighboringCharacterSwap(keepEnds),
      new WordSwapHomoglyphSwap(),
      new WordSwapEmbedding(embedding, { maxCandidates: 5 }),
    ]),
    searchMethod: new GreedyWordSwapWIR({ wirMethod: "delete" }),
  }, { columnLabels: options.columnLabels, seed: options.seed });
}
