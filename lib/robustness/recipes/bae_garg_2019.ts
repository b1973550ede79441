/**
 * BAE (BAE-R): Garg & Ramakrishnan (2020), "BAE: BERT-based Adversarial Examples for Text
 * Classification", EMNLP. arXiv:2004.01970.
 * As TextAttack's `BAEGarg2019`: each word is masked and replaced by the masked LM's top 50
 * predictions (min confidence 0); RepeatModification, StopwordModification, PartOfSpeech,
 * sentence similarity (cosine >= 0.936338023, window 15, against the original, short texts
 * skipped); greedy search ranked by deletion.
 *
 * Deviations: the masked LM is the project's own (`options.mlm`), not bert-base-uncased; for
 * pairs it sees only the column holding the word; Universal Sentence Encoder ->
 * WindowEmbeddingSimilarity over `options.embedding` (the counter-fitted vectors of data/wordvec
 * through `attackResources`); POS tags from wink-nlp, and verbs keep their inflection
 * (`verbForm`, ours).
 * Measured consequence: the project's MLM (data/teachers/sst2_bert_l4_h256/mlm, 21.8%
 * masked-token accuracy after 1,592 steps on ~77k sentences) proposes far less fluent words than
 * bert-base; on 200 SST-2 dev examples BAE leaves the teacher 18.0% accuracy under attack
 * (TextFooler 20.5%, PWWS 3.5%), see experiments/attack/results/.
 */
import { Attack } from "../attack.ts";
import { UntargetedClassification } from "../goal_function.ts";
import { PartOfSpeech } from "../constraints/part_of_speech.ts";
import { RepeatModification } from "../constraints/repeat_modification.ts";
import { StopwordModification } from "../constraints/stopword_modification.ts";
import { WindowEmbeddingSimilarity } from "../constraints/window_similarity.ts";
import { GreedyWordSwapWIR } from "../search/greedy_word_swap_wir.ts";
import { WordSwapMaskedLM } from "../transformations/word_swap_masked_lm.ts";
import { need, type RecipeOptions } from "./_options.ts";

export function baeGarg2019(options: RecipeOptions): Attack {
  const mlm = need(options.mlm, "bae", "mlm", "masked-LM candidates");
  const embedding = need(options.embedding, "bae", "embedding", "sentence similarity stand-in");
  return new Attack({
    goalFunction: new UntargetedClassification(options.victim, {
      queryBudget: options.queryBudget,
      batchSize: options.batchSize,
    }),
    constraints: [
      new RepeatModification(),
      new StopwordModification(),
      new PartOfSpeech({ allowVerbNounSwap: true, verbForm: true }),
      new WindowEmbeddingSimilarity(embedding, {
        threshold: 0.936338023,
        metric: "cosine",
        compareAgainstOriginal: true,
        windowSize: 15,
        skipTextShorterThanWindow: true,
      }),
    ],
    transformation: new WordSwapMaskedLM(mlm, { maxCandidates: 50, minConfidence: 0 }),
    searchMethod: new GreedyWordSwapWIR({ wirMethod: "delete" }),
  }, { columnLabels: options.columnLabels, seed: options.seed });
}
