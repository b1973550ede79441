/**
 * DeepWordBug: Gao, Lanchantin, Soffa & Qi (2018), "Black-box Generation of Adversarial Text
 * Sequences to Evade Deep Learning Classifiers", IEEE S&P Workshops. arXiv:1801.04354.
 * As TextAttack's `DeepWordBugGao2018` (use_all_transformations=True): one random character
 * swap, substitution, deletion or insertion per word; LevenshteinEditDistance(30),
 * RepeatModification, StopwordModification; greedy search ranked by replacing words with [UNK].
 *
 * Deviations: none in composition. The paper's scoring functions (combined score etc.) are
 * replaced by TextAttack's "unk" ranking, as TextAttack does. Random edits come from a seeded
 * Prng reseeded per example (TextAttack uses numpy's global generator).
 */
import { Attack } from "../attack.ts";
import { UntargetedClassification } from "../goal_function.ts";
import { LevenshteinEditDistance } from "../constraints/levenshtein_edit_distance.ts";
import { RepeatModification } from "../constraints/repeat_modification.ts";
import { StopwordModification } from "../constraints/stopword_modification.ts";
import { GreedyWordSwapWIR } from "../search/greedy_word_swap_wir.ts";
import { CompositeTransformation } from "../transformations/composite_transformation.ts";
import {
  WordSwapNeighboringCharacterSwap,
  WordSwapRandomCharacterDeletion,
  WordSwapRandomCharacterInsertion,
  WordSwapRandomCharacterSubstitution,
} from "../transformations/word_swap_characters.ts";
import type { RecipeOptions } from "./_options.ts";

export function deepWordBugGao2018(options: RecipeOptions): Attack {
  return new Attack({
    goalFunction: new UntargetedClassification(options.victim, {
      queryBudget: options.queryBudget,
      batchSize: options.batchSize,
    }),
    constraints: [
      new LevenshteinEditDistance(30),
      new RepeatModification(),
      new StopwordModification(),
    ],
    transformation: new CompositeTransformation([
      new WordSwapNeighboringCharacterSwap(),
      new WordSwapRandomCharacterSubstitution(),
      new WordSwapRandomCharacterDeletion(),
      new WordSwapRandomCharacterInsertion(),
    ]),
    searchMethod: new GreedyWordSwapWIR({ wirMethod: "unk" }),
  }, { columnLabels: options.columnLabels, seed: options.seed });
}
